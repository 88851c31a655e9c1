package dev.vigil.notifier.channel.email;

import dev.vigil.notifier.NotifierProperties;
import dev.vigil.notifier.channel.Channel;
import dev.vigil.notifier.channel.DeliveryException;
import dev.vigil.notifier.delivery.DeliveryRequest;
import jakarta.activation.FileTypeMap;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.ConfigurableMimeFileTypeMap;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Email over SMTP: one mail per recipient, plain text and HTML, over a kept-open connection. SMTP 4xx replies and an unreachable server are
 * retried; 5xx replies (unknown mailbox, refused) are permanent (RFC 5321 §4.2.1).
 */
@Component
class EmailChannel implements Channel {

    static final String DELIVERY_ID_HEADER = "X-Vigil-Delivery-Id";

    private static final FileTypeMap FILE_TYPES = fileTypes();

    private final SmtpConnection smtp;
    private final MailRenderer renderer;
    private final String from;

    EmailChannel(SmtpConnection smtp, MailRenderer renderer, NotifierProperties properties) {
        this.smtp = smtp;
        this.renderer = renderer;
        this.from = properties.mail().from();
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void send(DeliveryRequest request) throws DeliveryException {
        MailRenderer.Mail mail = renderer.render(request);
        MimeMessage message = smtp.createMessage(request.deliveryId());
        try {
            MimeMessageHelper helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name()) {
                @Override
                protected FileTypeMap getDefaultFileTypeMap(MimeMessage mimeMessage) {
                    return FILE_TYPES; // else one is built, reading mime.types from the class path, per mail
                }
            };
            helper.setFrom(new InternetAddress(from));
            helper.setTo(new InternetAddress(request.target()));
            helper.setSubject(mail.subject()); // one line within MailRenderer.SUBJECT_LIMIT
            helper.setText(mail.text(), mail.html());
            message.setHeader(DELIVERY_ID_HEADER, request.deliveryId());
        } catch (MessagingException e) {
            throw DeliveryException.permanent("invalid-message", "the mail cannot be built: " + e.getMessage(), e);
        }
        try {
            smtp.send(message);
        } catch (AuthenticationFailedException e) {
            throw DeliveryException.retryable("smtp-auth", "the SMTP server refused our login: " + e.getMessage(), null, e);
        } catch (MessagingException | MailException e) {
            throw classify(e);
        }
    }

    private static FileTypeMap fileTypes() {
        ConfigurableMimeFileTypeMap types = new ConfigurableMimeFileTypeMap();
        types.afterPropertiesSet();
        return types;
    }

    private static DeliveryException classify(Exception e) {
        int code = smtpReplyCode(e, 0);
        if (code >= 500) {
            return DeliveryException.permanent("smtp-5xx", "the SMTP server refused the mail (" + code + "): "
                    + e.getMessage(), e);
        }
        if (code >= 400) {
            return DeliveryException.retryable("smtp-4xx", "the SMTP server deferred the mail (" + code + "): "
                    + e.getMessage(), null, e);
        }
        return DeliveryException.retryable("smtp-unavailable", "the SMTP server cannot be reached: " + e.getMessage(),
                null, e);
    }

    /** The SMTP reply code somewhere in the exception chain, or -1 when the server never answered. */
    private static int smtpReplyCode(Throwable t, int depth) {
        if (t == null || depth > 8) {
            return -1;
        }
        if (t instanceof SMTPAddressFailedException address) {
            return address.getReturnCode();
        }
        if (t instanceof SMTPSendFailedException failed) {
            int inner = smtpReplyCode(failed.getNextException(), depth + 1);
            return inner > 0 ? inner : failed.getReturnCode();
        }
        if (t instanceof MailSendException send) {
            for (Exception failure : send.getFailedMessages().values()) {
                int code = smtpReplyCode(failure, depth + 1);
                if (code > 0) {
                    return code;
                }
            }
        }
        if (t instanceof MessagingException messaging && messaging.getNextException() != null) {
            int code = smtpReplyCode(messaging.getNextException(), depth + 1);
            if (code > 0) {
                return code;
            }
        }
        return smtpReplyCode(t.getCause() == t ? null : t.getCause(), depth + 1);
    }
}
