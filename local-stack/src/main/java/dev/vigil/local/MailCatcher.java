package dev.vigil.local;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
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
 * so a developer can open what Vigil sent. A message written is removed from GreenMail's memory (flagged deleted and
 * expunged from its mailbox), so the catcher's memory and work stay flat however many mails a long run sends.
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

    /** Mails received and not yet written (and removed from memory). */
    int held() {
        return greenMail.getReceivedMessages().length;
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    private synchronized void writeNewMessages() {
        try {
            var store = greenMail.getManagers().getImapHostManager().getStore();
            java.util.List<StoredMessage> received = new java.util.ArrayList<>();
            java.util.Map<StoredMessage, MailFolder> folders = new java.util.IdentityHashMap<>();
            for (MailFolder mailbox : store.listMailboxes("*")) {
                for (StoredMessage message : mailbox.getNonDeletedMessages()) {
                    received.add(message);
                    folders.put(message, mailbox);
                }
            }
            received.sort(java.util.Comparator.comparing(StoredMessage::getReceivedDate));
            java.util.Set<MailFolder> touched = new java.util.HashSet<>();
            for (StoredMessage message : received) {
                write(message.getMimeMessage());
                message.setFlag(Flags.Flag.DELETED, true);
                touched.add(folders.get(message));
            }
            for (MailFolder mailbox : touched) {
                mailbox.expunge(); // only what was flagged above: a mail arriving meanwhile is written next time
            }
        } catch (FolderException | RuntimeException e) {
            System.err.println("mail: cannot read the received mails: " + e);
        }
    }

    private void write(MimeMessage message) {
        count++;
        Path file = folder.resolve(LocalDateTime.now().format(FILE_TIME) + "-" + count + ".eml");
        try (OutputStream out = Files.newOutputStream(file)) {
            message.writeTo(out);
            System.out.println("mail: " + file + " to " + String.join(", ", message.getHeader("To")));
        } catch (IOException | MessagingException e) {
            System.err.println("mail: cannot write " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        writeNewMessages();
        greenMail.stop();
    }
}
