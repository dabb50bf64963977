package dev.etcdagent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throw-away CA and certificates made with the real openssl, keys in PKCS#8 PEM. */
final class Certificates {

    final Path dir;

    Certificates(Path dir) {
        this.dir = dir;
    }

    /** A self-signed CA: {@code <name>.pem} and {@code <name>.key}. */
    Path ca(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", file(name + ".key"), "-out", file(name + ".pem"), "-days", "2", "-subj", "/CN=" + name);
        return dir.resolve(name + ".pem");
    }

    /** A certificate for 127.0.0.1 signed by {@code ca}, for {@code usage} serverAuth or clientAuth. */
    Path signed(String name, String ca, String usage) throws Exception {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", file(name + ".key"), "-out", file(name + ".csr"), "-subj", "/CN=" + name);
        Path extensions = dir.resolve(name + ".ext");
        Files.writeString(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=" + usage + "\n");
        openssl("x509", "-req", "-in", file(name + ".csr"), "-CA", file(ca + ".pem"), "-CAkey", file(ca + ".key"),
                "-CAcreateserial", "-out", file(name + ".pem"), "-days", "2", "-extfile", extensions.toString());
        return dir.resolve(name + ".pem");
    }

    Path key(String name) {
        return dir.resolve(name + ".key");
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }
}
