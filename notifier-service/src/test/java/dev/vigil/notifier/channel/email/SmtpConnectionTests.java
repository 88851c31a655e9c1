package dev.vigil.notifier.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Kept-open SMTP connections against a real SMTP server that goes away and comes back. */
class SmtpConnectionTests {

    @Test
    void aKeptConnectionTheServerDroppedIsReplacedAtOnceAndEveryMailHasItsDeliveryMessageId() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        SmtpConnection smtp = new SmtpConnection(sender);
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        try {
            smtp.send(mail(smtp, "d-1"));
            server.stop(); // the kept connection is now dead
            server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();

            smtp.send(mail(smtp, "d-2")); // no exception: a new connection was opened for it

            assertThat(server.getReceivedMessages()).singleElement()
                    .satisfies(m -> assertThat(m.getMessageID()).isEqualTo("<d-2@vigil>"));
            server.stop();
            assertThatThrownBy(() -> smtp.send(mail(smtp, "d-3"))).as("no server at all")
                    .isInstanceOf(MessagingException.class);
        } finally {
            smtp.close();
            server.stop();
        }
    }

    private static MimeMessage mail(SmtpConnection smtp, String deliveryId) throws MessagingException {
        MimeMessage message = smtp.createMessage(deliveryId);
        message.setFrom(new InternetAddress("vigil@example.org"));
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress("ops@example.org"));
        message.setSubject("test " + deliveryId);
        message.setText("body");
        return message;
    }
}
