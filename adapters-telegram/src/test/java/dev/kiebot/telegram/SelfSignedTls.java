package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A certificate made by the JDK's keytool for the tests' HTTPS servers on 127.0.0.1 (nothing of the kind is kept in
 * the repository), trusted by the clients given its context or trust manager.
 */
record SelfSignedTls(SSLContext context, X509TrustManager trust) {

    /**
     * A certificate for {@code names} ({@code SAN} entries as keytool takes them: {@code IP:127.0.0.1},
     * {@code DNS:files.example}), its files in {@code dir}.
     */
    static SelfSignedTls forNames(Path dir, String... names) throws Exception {
        Path store = Files.createTempFile(dir, "tls", ".p12");
        Files.delete(store);
        char[] password = "kiebot-test".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "kiebot-test",
                "-alias", "local", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + names[0].substring(names[0].indexOf(':') + 1),
                "-ext", "SAN=" + String.join(",", Arrays.asList(names)), "-validity", "2")
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = keytool.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(keytool.waitFor()).as(out).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, password);
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(keys);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(km.getKeyManagers(), tm.getTrustManagers(), null);
        return new SelfSignedTls(tls, (X509TrustManager) tm.getTrustManagers()[0]);
    }
}
