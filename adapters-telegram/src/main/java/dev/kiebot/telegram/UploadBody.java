package dev.kiebot.telegram;

import java.io.File;

/**
 * What an upload sends: bytes already in memory (stub media, the admins' chart) or a file on disk (a result
 * downloaded because Telegram could not fetch it by URL, kept off the heap).
 */
sealed interface UploadBody {
    long sizeBytes();

    @SuppressWarnings("ArrayRecordComponent") // an upload handed on once, never compared: no copy
    record InMemory(byte[] bytes) implements UploadBody {
        @Override
        public long sizeBytes() {
            return bytes.length;
        }
    }

    record OnDisk(File file, long sizeBytes) implements UploadBody {
    }
}
