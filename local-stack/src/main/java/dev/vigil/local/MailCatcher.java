package dev.vigil.local;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An SMTP server (GreenMail) that accepts every message and keeps each one as an {@code .eml} file in a folder,
 * so a developer can open what Vigil sent.
 */
public final class MailCatcher implements AutoCloseable {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final GreenMail greenMail;
    private final Path folder;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "mail-catcher");
        thread.setDaemon(true);
        return thread;
    });
    private int written;

    private MailCatcher(GreenMail greenMail, Path folder) {
        this.greenMail = greenMail;
        this.folder = folder;
    }

    public static MailCatcher start(int smtpPort, Path folder) throws IOException {
        Files.createDirectories(folder);
        GreenMail greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        MailCatcher catcher = new MailCatcher(greenMail, folder);
        catcher.writer.scheduleWithFixedDelay(catcher::writeNewMessages, 200, 200, TimeUnit.MILLISECONDS);
        return catcher;
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    private synchronized void writeNewMessages() {
        MimeMessage[] messages = greenMail.getReceivedMessages();
        for (; written < messages.length; written++) {
            Path file = folder.resolve(LocalDateTime.now().format(FILE_TIME) + "-" + (written + 1) + ".eml");
            try (OutputStream out = Files.newOutputStream(file)) {
                messages[written].writeTo(out);
                System.out.println("mail: " + file + " to " + String.join(", ", messages[written].getHeader("To")));
            } catch (IOException | MessagingException e) {
                System.err.println("mail: cannot write " + file + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        writeNewMessages();
        greenMail.stop();
    }
}
