package dev.kiebot.runtime.http;

/**
 * What a door answers an HTTP request: the status and a short text (Telegram gets it as the body, Kie as the
 * {@code msg} of {@code {"code": status, "msg": text}}). Never anything the request carried.
 */
public record HttpAnswer(int status, String text) {
}
