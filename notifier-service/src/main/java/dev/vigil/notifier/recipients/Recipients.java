package dev.vigil.notifier.recipients;

import java.util.List;
import java.util.Locale;

/**
 * Who is told about one account's alert, as resolved from the directory.
 *
 * @param addresses RFC 5322 addresses, deduplicated by lower-cased address
 * @param language  the language of the mail: the account's, else its person's, else the configured default
 * @param trail     how each address was found (for the audit record), e.g. {@code account mail},
 *                  {@code person 4000002}, {@code reseller 4000000 (quota)}
 */
public record Recipients(List<String> addresses, Locale language, List<String> trail) {

    public Recipients {
        addresses = List.copyOf(addresses);
        trail = List.copyOf(trail);
    }
}
