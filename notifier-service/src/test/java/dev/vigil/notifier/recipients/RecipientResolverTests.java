package dev.vigil.notifier.recipients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.local.DemoDirectory;
import dev.vigil.notifier.NotifierProperties;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.LdapContextSource;

/** The stoney recipient rules against a real LDAP server over TCP (UnboundID). */
class RecipientResolverTests {

    static final String SUPPORT = "Support stepping stone GmbH <support@stepping-stone.ch>";
    static DemoDirectory directory;
    static RecipientResolver resolver;

    @BeforeAll
    static void startDirectory() {
        directory = DemoDirectory.start(0, "/ldap/recipients-test.ldif");
        resolver = new RecipientResolver(ldap(directory.url()), properties(), Optional.empty());
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
    }

    @Test
    void s4WarningsOffOnlyTheSubscribedResellerIsTold() {
        assertThat(resolver.resolve("1000004", "quota").addresses()).containsExactly(SUPPORT);
        assertThat(resolver.resolve("1000004", "unsuccessful").addresses()).isEmpty();
    }

    @Test
    void s5NoAccountMailBothAddressesOfThePersonPlusTheSubscribedReseller() {
        Recipients quota = resolver.resolve("1000005", "quota");
        assertThat(quota.addresses()).containsExactly("erika.muster@example.org", "e.muster@example.com", SUPPORT);
        assertThat(quota.trail()).containsExactly("person 4000002", "reseller 4000000 (quota)");
        assertThat(quota.language()).isEqualTo(Locale.GERMAN);
    }

    @Test
    void aResellerNotSubscribedToTheCheckIsNotTold() {
        assertThat(resolver.resolve("1000005", "unsuccessful").addresses())
                .containsExactly("erika.muster@example.org", "e.muster@example.com");
    }

    @Test
    void everyMailValueOfTheAccountDeduplicatedByAddress() {
        Recipients recipients = resolver.resolve("1000006", "unsuccessful");
        assertThat(recipients.addresses()).containsExactly("first@example.org", "Second Owner <second@example.org>");
        assertThat(recipients.language()).isEqualTo(Locale.GERMAN);
    }

    @Test
    void aPersonWithoutMailGivesNobodyAndNoError() {
        assertThat(resolver.resolve("1000007", "unsuccessful").addresses()).isEmpty();
    }

    @Test
    void warningsByAnotherMediumThanMailAreNotMailed() {
        assertThat(resolver.resolve("1000008", "unsuccessful").addresses()).isEmpty();
    }

    @Test
    void aFilterInjectionMatchesNothing() {
        Recipients recipients = resolver.resolve("*)(uid=*", "quota");
        assertThat(recipients.addresses()).isEmpty();
        assertThat(recipients.trail()).containsExactly("account not found");
        assertThat(resolver.resolve("*", "quota").addresses()).isEmpty();
    }

    @Test
    void anUnreachableDirectoryIsReportedAsSuchNotAsNobody() {
        RecipientResolver unreachable = new RecipientResolver(ldap("ldap://127.0.0.1:1"), properties(), Optional.empty());
        assertThatThrownBy(() -> unreachable.resolve("1000005", "quota"))
                .isInstanceOf(DirectoryUnavailableException.class);
    }

    static NotifierProperties properties() {
        var source = new MapConfigurationPropertySource(java.util.Map.of(
                "vigil.notifier.directory.cache-ttl", Duration.ZERO.toString()));
        return new Binder(source).bindOrCreate("vigil.notifier", NotifierProperties.class);
    }

    static LdapTemplate ldap(String url) {
        LdapContextSource source = new LdapContextSource();
        source.setUrl(url);
        source.setBase(DemoDirectory.BASE_DN);
        source.setAnonymousReadOnly(true);
        source.afterPropertiesSet();
        return new LdapTemplate(source);
    }
}
