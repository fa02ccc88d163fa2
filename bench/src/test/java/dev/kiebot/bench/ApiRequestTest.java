package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiRequestTest {

    @Test
    void readsFormBodiesAndQueryStrings() {
        byte[] body = "chat_id=100000001&text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%26+hi".getBytes(StandardCharsets.UTF_8);
        ApiRequest r = ApiRequest.parse("offset=5", "application/x-www-form-urlencoded", body);

        assertThat(r.longParam("chat_id", 0)).isEqualTo(100_000_001L);
        assertThat(r.param("text")).isEqualTo("Привет & hi");
        assertThat(r.longParam("offset", 0)).isEqualTo(5);
        assertThat(r.longParam("missing", -1)).isEqualTo(-1);
    }

    @Test
    void readsTextPartsOfMultipartBodiesAndSkipsFiles() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n100000002\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n\u0089PNG\r\n--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"caption\"\r\n\r\nready ✓\r\n--XyZ--\r\n";
        ApiRequest r = ApiRequest.parse(null, "multipart/form-data; boundary=XyZ", body.getBytes(StandardCharsets.UTF_8));

        assertThat(r.longParam("chat_id", 0)).isEqualTo(100_000_002L);
        assertThat(r.param("caption")).isEqualTo("ready ✓");
        assertThat(r.params()).doesNotContainKey("photo");
    }
}
