package dev.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailCatcherTests {

    @TempDir
    Path folder;

    @Test
    void everyMailIsWrittenOnceAsAnEmlFileEvenAsNewMailboxesAppear() throws Exception {
        try (MailCatcher catcher = MailCatcher.start(0, folder)) {
            for (String to : List.of("b@example.org", "a@example.org", "c@example.org", "a@example.org")) {
                send(catcher.port(), to, "hello " + to);
                Thread.sleep(300); // let the catcher see each mailbox state in turn
            }
            Thread.sleep(300);
            assertThat(catcher.held()).as("written mails are not kept in memory").isZero();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<String> contents = files.map(MailCatcherTests::read).toList();
            assertThat(contents).hasSize(4);
            assertThat(contents).filteredOn(c -> c.contains("Subject: hello a@example.org")).hasSize(2);
            assertThat(contents).filteredOn(c -> c.contains("Subject: hello b@example.org")).hasSize(1);
        }
    }

    @Test
    void mailsArrivingWhileOthersAreWrittenAreAllWrittenOnce() throws Exception {
        try (MailCatcher catcher = MailCatcher.start(0, folder)) {
            Thread[] senders = new Thread[4];
            for (int t = 0; t < senders.length; t++) {
                int sender = t;
                senders[t] = new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        try {
                            send(catcher.port(), "r" + (i % 3) + "@example.org", "mail " + sender + "-" + i);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                senders[t].start();
            }
            for (Thread sender : senders) {
                sender.join();
            }
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<String> subjects = files.map(MailCatcherTests::read)
                    .map(c -> c.lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElseThrow()).toList();
            assertThat(subjects).hasSize(200).doesNotHaveDuplicates();
        }
    }

    private static void send(int port, String to, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("test@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("body");
        Transport.send(message);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
