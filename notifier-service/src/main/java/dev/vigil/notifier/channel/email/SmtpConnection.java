package dev.vigil.notifier.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * SMTP connections kept open between mails: a new connection (and, with a real relay, a TLS handshake and a
 * login) per mail costs several times the mail itself. A connection idle for longer than relays usually keep one
 * is replaced, and one that failed is closed, so the next mail starts afresh.
 */
@Component
class SmtpConnection implements AutoCloseable {

    private static final long MAX_IDLE_NANOS = Duration.ofSeconds(30).toNanos();

    private final JavaMailSender sender;
    /** Open connections not in use; each delivery thread takes one and gives it back. */
    private final Deque<Open> idle = new ConcurrentLinkedDeque<>();

    private record Open(Transport transport, long lastUsed) {
    }

    SmtpConnection(JavaMailSender sender) {
        this.sender = sender;
    }

    /**
     * A message whose {@code Message-ID} is made of its delivery id: should the same delivery be sent twice (the
     * notifier stopped between the server's acceptance and the record of it), the copies carry one Message-ID,
     * by which mail systems and clients recognise a duplicate.
     */
    MimeMessage createMessage(String deliveryId) {
        String messageId = "<" + deliveryId + "@vigil>";
        Session session = sender instanceof JavaMailSenderImpl impl ? impl.getSession()
                : Session.getInstance(new Properties());
        return new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
    }

    void send(MimeMessage message) throws MessagingException {
        if (!(sender instanceof JavaMailSenderImpl impl)) {
            sender.send(message);
            return;
        }
        message.saveChanges();
        Open reused = takeIdle();
        if (reused != null) {
            try {
                sendOn(reused.transport, message);
                return;
            } catch (SendFailedException e) {
                if (answered(e)) {
                    throw e; // the server answered: a fresh connection would be answered the same
                }
                // no answer at all ([EOF]): the server closed the kept connection; try once on a new one
            } catch (MessagingException | RuntimeException e) {
                // the server closed the kept connection (a restart, an idle timeout): try once on a new one
            }
        }
        sendOn(connect(impl), message);
    }

    /**
     * True when an SMTP server replied to the message (a reply code); Angus Mail also reports a connection that ended
     * before any reply as a send failure, with the code -1 and "[EOF]".
     */
    private static boolean answered(SendFailedException e) {
        return !(e instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException smtp) || smtp.getReturnCode() > 0;
    }

    private void sendOn(Transport transport, MimeMessage message) throws MessagingException {
        try {
            transport.sendMessage(message, message.getAllRecipients());
            idle.push(new Open(transport, System.nanoTime()));
        } catch (MessagingException | RuntimeException e) {
            close(transport);
            throw e;
        }
    }

    /** A kept connection that has not been idle too long, or null. */
    private Open takeIdle() {
        for (Open open = idle.poll(); open != null; open = idle.poll()) {
            if (System.nanoTime() - open.lastUsed < MAX_IDLE_NANOS) {
                return open;
            }
            close(open.transport);
        }
        return null;
    }

    private static Transport connect(JavaMailSenderImpl impl) throws MessagingException {
        Transport transport = impl.getSession().getTransport(impl.getProtocol() == null ? "smtp" : impl.getProtocol());
        transport.connect(impl.getHost(), impl.getPort(), impl.getUsername(), impl.getPassword());
        return transport;
    }

    private static void close(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // the connection is gone either way
        }
    }

    @Override
    public void close() {
        for (Open open = idle.poll(); open != null; open = idle.poll()) {
            close(open.transport);
        }
    }
}
