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
    /** GreenMail lists messages per mailbox, so the order changes as mailboxes appear: remember each one. */
    private final java.util.Set<MimeMessage> written = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int count;

    private MailCatcher(GreenMail greenMail, Path folder) {
        this.greenMail = greenMail;
        this.folder = folder;
    }

    /** Starts the catcher on {@code smtpPort} (0 picks a free one), writing into {@code folder}. */
    public static MailCatcher start(int smtpPort, Path folder) throws IOException {
        Files.createDirectories(folder);
        ServerSetup setup = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        GreenMail greenMail = new GreenMail(smtpPort == 0 ? setup.dynamicPort() : setup);
        greenMail.start();
        MailCatcher catcher = new MailCatcher(greenMail, folder);
        catcher.writer.scheduleWithFixedDelay(catcher::writeNewMessages, 200, 200, TimeUnit.MILLISECONDS);
        return catcher;
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    private synchronized void writeNewMessages() {
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            if (!written.add(message)) {
                continue;
            }
            count++;
            Path file = folder.resolve(LocalDateTime.now().format(FILE_TIME) + "-" + count + ".eml");
            try (OutputStream out = Files.newOutputStream(file)) {
                message.writeTo(out);
                System.out.println("mail: " + file + " to " + String.join(", ", message.getHeader("To")));
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
