package dev.vigil.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the offline validators that CI installs (.ci/run): kubectl, promtool, docker-compose. */
final class Tools {

    /** The repository root: the parent of this module's directory. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Result(int exitCode, String output) {
    }

    private Tools() {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " is needed to check the deployment files and is not "
                    + "installed; .ci/run installs it (see the README, 'Tests')", e);
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", List.of(command)) + " did not finish in 120 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
