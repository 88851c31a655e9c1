package dev.vigil.gateway.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets a backup product puts into what it sends, before anything is published: every text of an event
 * (attributes, error, raw input) and every refused input go through {@link #mask}. The rules, in order:
 * <ol>
 *   <li><b>Vigil's own tokens</b> wherever they appear, e.g. in the
 *       {@code --on-error="http://vigil/hooks/xsibackup/<token>/error|OK"} that XSIBackup puts into {@code cmd}: the
 *       seed registrations' tokens by their text, those made through the API (known only by their SHA-256) by hashing
 *       every run of 16–256 token characters ({@code A-Z a-z 0-9 _ -}); and, whoever's token it is, the token segment
 *       of a Vigil hook URL ({@code /hooks/xsibackup/<token>/}, {@code /ping/<uuid-or-key>});</li>
 *   <li><b>command-line options</b> (also form-encoded, {@code --smtp-pwd%3D…}) whose name holds {@code pwd}, {@code pass}, {@code secret}, {@code token} or
 *       {@code key} ({@code --smtp-pwd=…}, {@code --encryption-key …}, {@code --api-token="…"}): their value;
 *       options whose name holds {@code usr} or {@code user}: what follows a {@code :} in their value
 *       ({@code --smtp-usr=me@example.org:secret});</li>
 *   <li><b>passwords as short options</b> of the tools backup scripts run: {@code mysqldump -pSECRET},
 *       {@code sshpass -p SECRET}, {@code curl -u user:SECRET}, {@code smbclient -U user%SECRET},
 *       {@code lftp -u user,SECRET};</li>
 *   <li><b>URLs</b>: the password of their user-info ({@code https://user:secret@host}, to the last {@code @}
 *       before the host), and the value of query
 *       parameters named like a secret ({@code token}, {@code key}, {@code password}, {@code secret}, {@code sig},
 *       {@code signature}, {@code auth}, {@code api_key}, {@code apikey}, {@code access_token}, …);</li>
 *   <li><b>{@code name=value} and {@code name: value} pairs</b>, JSON's {@code "name": "value"} and their
 *       form-encoded forms, whose name ends in or holds a secret's word as a part (log lines and environments such as
 *       {@code password=hunter2}, {@code PGPASSWORD=…}, {@code BORG_PASSPHRASE=…}, {@code AWS_SECRET_ACCESS_KEY=…});</li>
 *   <li><b>HTTP credentials</b>: what follows {@code Authorization:} and its scheme ({@code Bearer}, {@code Basic},
 *       {@code Digest}) to the end of the line, a bearer token anywhere, a {@code Cookie:} header's value, and a JSON
 *       Web Token anywhere;</li>
 *   <li><b>XML elements</b> named like a secret ({@code <password>…</password>}, {@code <wsse:Password>}, a CDATA
 *       section), and a value given beside a secret's name ({@code <add key="DbPassword" value="…"/>},
 *       {@code {"name": "DB_PASSWORD", "value": "…"}}).</li>
 * </ol>
 * Attributes whose name names a secret are masked whole ({@link #maskAttribute}).
 * A masked value becomes {@value #MASK}. Masking never fails and never changes text without a secret.
 */
public final class SecretMasker {

    public static final String MASK = "***";
    /*
     * Every quantifier is bounded, so a pattern tries at most a few hundred characters from each position: masking is
     * linear in the text's length, whatever a caller sends (a 200 kB line of one letter included). A value longer than
     * its pattern's bound is masked to its end all the same: after each match the value goes on over the characters of
     * its own class (a possessive "tail", each character read once), so no part of a long secret is left.
     */
    private static final Pattern TAIL_TO_BLANK = Pattern.compile("[^\\s\"']*+");
    private static final Pattern TAIL_ENCODED = Pattern.compile("(?:[^&+\\s%]|%(?!20|26|2B)[0-9A-Fa-f]{2})*+");
    private static final Pattern TAIL_USER = Pattern.compile("[^\\s\"&]*+");
    private static final Pattern TAIL_PARAMETER = Pattern.compile("[^&#\\s\"'|]*+");
    private static final Pattern TAIL_PAIR = Pattern.compile("[^\\s,;\"'&<>{}\\[\\]]*+");
    private static final Pattern TAIL_TO_AMPERSAND = Pattern.compile("[^\\r\\n&]*+");
    private static final Pattern TAIL_TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]*+");
    private static final Pattern TAIL_TO_QUOTE = Pattern.compile("[^\\r\\n\"']*+");
    private static final Pattern TAIL_SEGMENT = Pattern.compile("[^/?#\\s\"'|]*+");
    /** A URL's password to the last {@code @} before its host ({@link #URL_USER_INFO}). */
    private static final Pattern TAIL_USER_INFO = Pattern.compile(
            "(?:[^@/\\s\"']*+@(?=[^@/?#\\s\"']*+@))*+[^@/\\s\"']*+");
    /**
     * An element's value: a CDATA section to its end ({@code ]]>}, or the text's), with the sections that follow it
     * at once (how a {@code ]]>} inside a value is written: {@code ]]]]><![CDATA[>}), else up to the next tag.
     */
    private static final Pattern TAIL_ELEMENT = Pattern.compile(
            "(?<=<!\\[CDATA\\[)(?:(?:[^\\]]|\\](?!\\]>))*+\\]\\]><!\\[CDATA\\[)*+(?:[^\\]]|\\](?!\\]>))*+(?:\\]\\]>)?"
                    + "|[^<]*+");
    /** The rest of a quoted value longer than its bound, with its closing quote: on its line, or across lines. */
    private static final Pattern TAIL_DOUBLE_QUOTED = Pattern.compile("[^\"\\r\\n]*+\"?");
    private static final Pattern TAIL_SINGLE_QUOTED = Pattern.compile("[^'\\r\\n]*+'?");
    private static final Pattern TAIL_DOUBLE_QUOTED_LINES = Pattern.compile("[^\"]*+\"?");
    private static final Pattern TAIL_SINGLE_QUOTED_LINES = Pattern.compile("[^']*+'?");

    /**
     * How a pattern's value goes on past where it was matched ({@link #restOfValue}): over {@code tail} (its own
     * characters, possessive; {@code null} for none) when unquoted; to its closing quote when a quoted form of the
     * pattern cut it at {@code quotedBound} characters ({@code 0}: no such form), on its line or across lines.
     */
    private record ValueEnd(Pattern tail, int quotedBound, boolean quotedAcrossLines) {
    }

    private static final ValueEnd OPTION_END = new ValueEnd(TAIL_TO_BLANK, 512, true);
    private static final ValueEnd CLI_END = new ValueEnd(TAIL_TO_BLANK, 512, false);
    /** A keyed value ({@link #SECRET_KEYED_VALUE}): quoted, closed; unquoted, to its line's end. */
    private static final ValueEnd KEYED_END = new ValueEnd(Pattern.compile("[^\\r\\n<>{}\\[\\]]*+"), 0, false);
    private static final ValueEnd AUTHORIZATION_END = new ValueEnd(TAIL_TO_AMPERSAND, 2048, false);
    private static final String SECRET_NAME = "[A-Za-z0-9_.-]{0,40}(?:pwd|passwd|password|pass|secret|token|key|apikey)[A-Za-z0-9_.-]{0,40}";
    /** {@code --name=value}, {@code --name="value with blanks"}, {@code --name value}. */
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)(--" + SECRET_NAME + ")(=|\\s{1,8})(\\\\?\"[^\"]{0,512}+\"?|\\\\?'[^']{0,512}+'?|[^\\s\"']{1,512})");
    /** The same in a form-encoded body: {@code --smtp-pwd%3Dvalue}, up to the next {@code &}, {@code +} or {@code %20}. */
    private static final Pattern ENCODED_SECRET_OPTION = Pattern.compile(
            "(?i)(--" + SECRET_NAME + ")(%3D|=)((?:[^&+\\s%]|%(?!20|26|2B)[0-9A-Fa-f]{2}){1,512})");
    private static final Pattern USER_OPTION = Pattern.compile(
            "(?i)(--[A-Za-z0-9_.-]{0,40}(?:usr|user)[A-Za-z0-9_.-]{0,40}(?:=|%3D)\"?[^\\s\":&]{0,256}(?::|%3A))([^\\s\"&]{1,256})");
    /**
     * A URL's user-info password: from the first {@code :} to the <em>last</em> {@code @} before the host, as curl and
     * browsers split it, so an unencoded {@code @} in the password or the user ({@code https://user:p@ss@host},
     * {@code ftp://me@example.org:pw@host}) leaves nothing of the password in clear. A password may hold {@code ?} and
     * {@code #} ({@code postgres://app:S3c#et@db}); an {@code @} after one of them in a later part is the query's
     * ({@code https://u:pw@host?to=me@x.org}), as is one after a port ({@code https://nas:5001?to=a@b.c}).
     */
    private static final Pattern URL_USER_INFO = Pattern.compile(
            "(?i)(\\b[a-z][a-z0-9+.-]{0,30}://[^/?#\\s:\"']{0,256}:)(?![0-9]{1,5}[?#])(?!@(?![^@/?#\\s\"']*+@))"
                    + "((?:[^@/\\s\"']{0,256}+@(?=[^@/?#\\s\"']{0,256}+@)){0,8}+[^@/\\s\"']{0,256}+)"
                    + "(?=[^@/\\s\"']*+@)");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:token|key|api_?key|apikey|access_token|auth|password|passwd|pwd|pass|secret|sig|signature"
                    + "|client_secret|private_token)=)([^&#\\s\"'|]{1,512})");
    /**
     * The name of a secret in a pair or an attribute: a word of {@link #SECRET_WORDS} with any prefix and at most three
     * {@code _ . -} separated parts after it ({@code password}, {@code PGPASSWORD}, {@code MYSQL_PWD},
     * {@code BORG_PASSPHRASE}, {@code AWS_SECRET_ACCESS_KEY}, {@code api_key}, {@code client-secret}), not a word that
     * merely starts with one ({@code passed}, {@code keys}, {@code tokenizer}).
     */
    private static final String SECRET_WORDS = "pwd|passwd|password|passphrase|pass|secret|token|key|apikey|credentials?";
    /**
     * A name that ends in a secret's word: the long words with any prefix ({@code PGPASSWORD}, {@code apitoken}),
     * {@code key} and {@code pass} only as a part of their own ({@code api_key}, {@code db.pass}, not {@code monkey},
     * {@code compass}); a name that only starts with one ({@code key_count}, {@code token_bucket_size}) is no secret's.
     */
    private static final String PAIR_NAME = "(?:[A-Za-z0-9_.-]{0,40}(?:pwd|passwd|passwords?|passphrases?|secrets?"
            + "|tokens?|apikey|credentials?)|(?:[A-Za-z0-9_.-]{0,40}[_.-])?(?:key|pass)"
            // an environment variable ending in PASS (SSHPASS, which sshpass -e reads; DBPASS), a camel-case ...Key
            + "|(?-i:[A-Z0-9_]{0,40}PASS|[A-Za-z0-9_]{0,40}[a-z0-9]Key))";
    /** A JSON string, escapes included ({@code "abc\\"def"}), up to 8,192 characters (a PEM private key fits). */
    private static final String JSON_STRING = "\"(?:[^\"\\\\\\r\\n]|\\\\.){0,8192}+\"";
    /**
     * A JSON string inside a JSON string (or a log that escaped it): for the string {@code a"b}, the text
     * {@code \"a\\\"b\"}. Its quotes are {@code \"}; a backslash of the inner string is {@code \\} and takes the
     * escaped character after it with it, so an inner escaped quote does not end the value. Up to 8,192 characters.
     */
    private static final String ESCAPED_JSON_STRING = "\\\\\"(?:\\\\\\\\(?:\\\\\\\\|\\\\\"|[^\"\\\\\\r\\n])|\\\\[^\"\\\\\\r\\n]|[^\"\\\\\\r\\n]){0,8192}+\\\\\"";
    /**
     * What a JSON array or object may hold: strings whole (up to 256 characters), anything but brackets and quotes.
     * Bounded small: each secret's name in a text starts a scan, so a text of many unclosed {@code "key":["} must not
     * cost more than a few hundred characters per name.
     */
    private static final String JSON_ATOM = "\"(?:[^\"\\\\\\r\\n]|\\\\.){0,256}+\"|[^\\[\\]{}\"\\r\\n]";
    /** A JSON array or object two levels deep ({@code [["a"]]}, {@code [{"name": "db", "value": "…"}]}). */
    private static final String JSON_CONTAINER;

    static {
        String inner = "\\[(?:" + JSON_ATOM + "){0,64}+\\]|\\{(?:" + JSON_ATOM + "){0,64}+\\}";
        JSON_CONTAINER = "\\[(?:" + JSON_ATOM + "|" + inner + "){0,64}+\\]|\\{(?:" + JSON_ATOM + "|" + inner
                + "){0,64}+\\}";
    }

    /** Blanks as they appear in plain text and in form-encoded or URL-encoded text. */
    private static final String BLANKS = "(?:\\s|\\+|%20){0,8}";
    /**
     * {@code name=value}, {@code name: value}, {@code "name": "value"} (JSON), also form-encoded
     * ({@code name%3Dvalue}): a quoted value whole, a JSON array or object of plain values whole
     * ({@code "password": ["a", "b"]}), else up to a blank, {@code , ; & " '}.
     */
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "(?i)(\\b" + PAIR_NAME + "\\\\?[\"']?" + BLANKS + "(?:=>|[=:]|%3D|%3A)" + BLANKS + ")"
                    + "(" + JSON_CONTAINER // a JSON array or object, whole
                    + "|" + ESCAPED_JSON_STRING + "|" + JSON_STRING + "|'[^'\\r\\n]{0,8192}'"
                    + "|\\\\?\"[^\"\\r\\n]{1,8192}+(?![^\\r\\n])" // a quote never closed: to the line's end (a cut text)
                    + "|[^\\s,;\"'&<>{}\\[\\]]{1,512})");
    /** The name of a secret beside its value: a secret's name, an HTTP credential's, after a path ({@code /prod/db/}). */
    private static final String KEYED_NAME = "(?:[A-Za-z0-9_.:/-]{0,80}[/:])?(?:" + PAIR_NAME
            + "|(?:proxy-)?authori[sz]ation|(?:set-)?cookie)";
    /**
     * A secret given as a name and a value side by side, up to three other attributes or members between them: .NET's
     * {@code <add key="DbPassword" value="…"/>}, Kubernetes' and Docker's environments
     * ({@code {"name": "DB_PASSWORD", "value": "…"}}, {@code - name: DB_PASSWORD} then {@code value: …} on the next
     * line), a HAR header ({@code {"name": "Authorization", "value": "…"}}), AWS SSM's
     * {@code {"Name": "/prod/db/password", "Type": "SecureString", "Value": "…"}}, escaped inside JSON too: the value.
     * After {@code =} a quoted value is an XML attribute's (a backslash is no escape); an unquoted one (YAML) runs to
     * its line's end.
     */
    private static final Pattern SECRET_KEYED_VALUE = Pattern.compile(
            "(?i)(\\b(?:key|name)\\\\?[\"']?[ \\t]{0,8}[=:][ \\t]{0,8}\\\\?([\"']?)(?:" + KEYED_NAME + ")\\\\?\\2"
                    + "(?:\\s{0,128}+,?\\s{0,128}+\\\\?[\"']?(?!value\\b)[A-Za-z_][A-Za-z0-9_.:-]{0,40}\\\\?[\"']?[ \\t]{0,8}[=:][ \\t]{0,8}(?:\\\\?\"[^\"\\\\\\r\\n]{0,256}+\\\\?\"|'[^'\\r\\n]{0,256}+'|[^\\s,;\"'<>{}\\[\\]]{1,64}+)){0,3}+"
                    + "\\s{0,128}+,?\\s{0,128}+\\\\?[\"']?value\\\\?[\"']?[ \\t]{0,8}[=:][ \\t]{0,8})"
                    + "((?<==[ \\t]{0,8})(?:\"[^\"\\r\\n]{0,8192}+\"|'[^'\\r\\n]{0,8192}+')"
                    + "|" + ESCAPED_JSON_STRING + "|" + JSON_STRING + "|'(?:[^'\\r\\n]|''){0,8192}+'"
                    + "|[|>][+-]?[0-9]?[ \\t]*+(?:\\r?\\n[ \\t]++[^\\r\\n]*+){1,64}+" // a YAML block scalar, whole
                    + "|[^\\s\"'<>{}\\[\\]][^\\r\\n<>{}\\[\\]]{0,511}+)");
    /**
     * An element whose {@code key} or {@code name} attribute names a secret: Java's properties XML
     * ({@code <entry key="db.password">…</entry>}), .NET's settings ({@code <setting name="DbPassword">
     * <value>…</value></setting>}): its text.
     */
    private static final Pattern SECRET_KEYED_ELEMENT = Pattern.compile(
            "(?i)(<[A-Za-z_][A-Za-z0-9_.:-]{0,40}\\s[^>]{0,200}?\\b(?:key|name)\\s{0,8}=\\s{0,8}([\"'])(?:" + KEYED_NAME
                    + ")\\2[^>]{0,200}+(?<!/)>(?:\\s{0,64}+<value>)?)([^<]{1,512}+)(?=[^<]*+</)");
    /**
     * An HTTP credential as a header line, a log or JSON shows it ({@code Authorization: Bearer <token>},
     * {@code Proxy-Authorization: Basic <base64>}, {@code "Authorization":"Bearer …"}): the credential after the
     * scheme (RFC 9110, section 11.6.2).
     */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(\\b(?:proxy-)?authori[sz]ation\\\\?[\"']?" + BLANKS + "(?:[=:]|%3D|%3A)" + BLANKS
                    + "(?:[A-Za-z][A-Za-z0-9._-]{0,30}(?:\\s|\\+|%20){1,8})?)"
                    + "(" + ESCAPED_JSON_STRING + "|\"[^\"\\r\\n]{0,2048}+(?:\"|(?=[^\"\\r\\n]))|'[^'\\r\\n]{0,2048}+(?:'|(?=[^'\\r\\n]))"
                    + "|[^\\r\\n&]{1,2048})");
    /** A bearer token anywhere ({@code curl -H "Bearer eyJ…"}, RFC 6750): eight or more token characters after the word. */
    private static final Pattern BEARER = Pattern.compile(
            "(?i)(\\bbearer(?:\\s|\\+|%20){1,8})([A-Za-z0-9._~+/=-]{8,2048})");
    /** A cookie header's value, to the end of its line ({@code Cookie: session=…}, {@code Set-Cookie: …}). */
    private static final Pattern COOKIE = Pattern.compile("(?i)(\\b(?:set-)?cookie\\s{0,8}:\\s{0,8})([^\\r\\n\"']{1,2048})");
    /**
     * An element named like a secret, with or without a namespace prefix ({@code <password>…</password>},
     * {@code <api_key>…</api_key>}, WS-Security's {@code <wsse:Password>}): its text up to the closing element, or a
     * CDATA section that opens it, to the section's end.
     */
    private static final Pattern SECRET_ELEMENT = Pattern.compile(
            "(?i)(<((?:[A-Za-z_][A-Za-z0-9_.-]{0,40}:)?(?:" + PAIR_NAME + "))(?:\\s[^>]{0,200})?>)"
                    + "(\\s{0,64}+<!\\[CDATA\\[|[^<]{1,512}+(?=[^<]*+</\\2\\s{0,8}>))");
    /** A JSON Web Token anywhere (RFC 7519: three base64url parts, the first a JSON object, so {@code eyJ}). */
    private static final Pattern JWT = Pattern.compile(
            "()(\\beyJ[A-Za-z0-9_-]{4,2048}+\\.[A-Za-z0-9_-]{4,2048}+\\.[A-Za-z0-9_-]{0,2048}+)");
    /** An attribute whose name names a secret ({@code password}, {@code api_key}, {@code Authorization}). */
    private static final Pattern SECRET_ATTRIBUTE = Pattern.compile(
            "(?i)(?:" + PAIR_NAME + ")(?:[_.-][A-Za-z0-9]{1,20})?|(?:proxy-)?authori[sz]ation|[A-Za-z0-9_.-]{0,40}auth");

    /** A value on a command line: quoted whole, else up to a blank. */
    private static final String CLI_VALUE = "(\"[^\"\\r\\n]{0,512}+\"?|'[^'\\r\\n]{0,512}+'?|[^\\s\"']{1,512})";
    /** {@link #CLI_VALUE} on its own, matched where an option of {@link #CLI_PASSWORDS} ends: group 1. */
    private static final Pattern CLI_VALUE_AT = Pattern.compile(CLI_VALUE);

    /**
     * A tool whose option gives a password: its name, and the option (from the blank before it to where the value
     * starts). The option is looked for anywhere in the rest of the same command, however long (up to a new line,
     * {@code |}, {@code ;} or {@code &}); a quoted value may hold those.
     */
    private record CliPassword(Pattern tool, Pattern option) {
        CliPassword(String tool, String option) {
            this(Pattern.compile("(?i)\\b(?:" + tool + ")(?:\\.exe)?\\b"), Pattern.compile("(?i)\\s" + option));
        }
    }

    /**
     * Passwords given as a short option of the tools backup scripts run: MySQL's and MariaDB's {@code -pSECRET}
     * (attached: a blank after {@code -p} makes the client prompt; {@code -P} is the port), {@code sshpass -p SECRET},
     * {@code curl -u user:SECRET}, {@code smbclient -U user%SECRET}, {@code lftp -u user,SECRET}, archives'
     * {@code 7z -pSECRET} and {@code zip -P SECRET}, {@code openssl enc -k SECRET}, {@code ncftpput -p SECRET},
     * {@code sqlcmd -P SECRET}, {@code mongodump -p SECRET}, {@code redis-cli -a SECRET}, {@code ldapsearch -w SECRET}.
     */
    private static final List<CliPassword> CLI_PASSWORDS = List.of(
            new CliPassword("mysql|mysqldump|mysqladmin|mysqlcheck|mysqlimport|mysqlpump|mysqlsh|mariadb|mariadb-dump"
                    + "|mariadb-admin|mariadb-backup|mariabackup|xtrabackup", "(?-i:-p)"),
            new CliPassword("sshpass", "(?-i:-p)\\s{0,8}"),
            // curl -u user:SECRET, -uuser:SECRET, -fsSu user:SECRET (short options combined), --user[=| ]user:SECRET
            new CliPassword("curl", "(?:(?-i:-[A-Za-z]{0,8}u)\\s{0,8}|--user(?:\\s{1,8}|=))[\"']?[^\\s:\"']{0,256}:"),
            new CliPassword("smbclient|rpcclient|smbcacls|smbget|smbmap",
                    "(?:(?-i:-U)|--user)(?:\\s{0,8}|=)[\"']?[^\\s%\"']{0,256}%"),
            new CliPassword("lftp", "(?-i:-u)\\s{1,8}[\"']?[^\\s,\"']{0,256},"),
            // archives: 7z -pSECRET, rar -pSECRET (attached; a bare -p prompts), zip -P SECRET, zip --password SECRET
            new CliPassword("7z|7za|7zz|7zr|rar|unrar|winrar", "(?-i:-p)"),
            new CliPassword("zip|unzip|zipcloak", "(?:(?-i:-P)\\s{0,8}|--password\\s{1,8})"),
            new CliPassword("openssl", "(?-i:-k)\\s{1,8}"),
            new CliPassword("ncftp|ncftpput|ncftpget|ncftpls", "(?-i:-p)\\s{0,8}"),
            new CliPassword("sqlcmd", "(?-i:-P)\\s{0,8}"),
            new CliPassword("mongo|mongodump|mongorestore|mongoexport|mongoimport|mongosh", "(?-i:-p)\\s{1,8}"),
            new CliPassword("redis-cli", "(?-i:-a)\\s{1,8}"),
            new CliPassword("ldapsearch|ldapadd|ldapmodify|ldapdelete|ldappasswd|ldapwhoami|ldapcompare|ldapmodrdn",
                    "(?-i:-w)\\s{1,8}"));
    /** smbclient's own form: {@code smbclient //server/share SECRET -U user}: group 2. */
    private static final Pattern SMBCLIENT_SHARE_PASSWORD = Pattern.compile(
            "(?i)(\\bsmbclient(?:\\.exe)?\\s{1,8}[\"']?[\\\\/]{2}[^\\s\"']{1,256}[\"']?\\s{1,8})(?!-)" + CLI_VALUE);

    /** The token segment of Vigil's own hook URLs, whoever's token it is. */
    private static final Pattern HOOK_URL_TOKEN = Pattern.compile("(/hooks/xsibackup/|/ping/)([^/?#\\s\"'|]{1,256})");

    private final List<String> tokens;
    private final java.util.function.Predicate<String> knownToken;

    /** @param tokens Vigil's own secrets (registration tokens); blanks and short values are ignored */
    public SecretMasker(List<String> tokens) {
        this(tokens, candidate -> false);
    }

    /**
     * @param tokens     Vigil's own secrets in clear (seed registration tokens); blanks and short values are ignored
     * @param knownToken true for a text that is a token Vigil knows only by its hash (registrations made at runtime)
     */
    public SecretMasker(List<String> tokens, java.util.function.Predicate<String> knownToken) {
        this.knownToken = knownToken;
        List<String> kept = new ArrayList<>();
        for (String token : tokens) {
            if (token != null && token.strip().length() >= 8) {
                kept.add(token.strip());
            }
        }
        kept.sort(Comparator.comparingInt(String::length).reversed()); // a token inside another: the longer first
        this.tokens = List.copyOf(kept);
    }

    /** {@code text} with every secret the rules above recognise replaced by {@value #MASK}; {@code null} stays. */
    public String mask(String text) {
        return mask(text, true);
    }

    /**
     * As {@link #mask(String)}; {@code prefilter} false runs every pattern on every text, without first looking for
     * what the pattern needs (a keyword, {@code --}, {@code ://}): the reference the prefilters are tested against.
     */
    String mask(String text, boolean prefilter) {
        return mask(text, prefilter, 0);
    }

    /** At most this many encodings inside one another are decoded ({@link #maskDecodedForms}): base64 in base64 in… */
    private static final int DECODINGS = 3;

    /** {@link #mask(String, boolean)} of a text found under {@code depth} encodings. */
    private String mask(String text, boolean prefilter, int depth) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String token : tokens) {
            if (masked.contains(token)) {
                masked = masked.replace(token, MASK);
            }
        }
        masked = maskKnownTokens(masked);
        if (!prefilter || masked.contains("/hooks/xsibackup/") || masked.contains("/ping/")) {
            masked = replaceGroup(HOOK_URL_TOKEN, masked, 2, new ValueEnd(TAIL_SEGMENT, 0, false));
        }
        // every later pattern names a secret or a user: a text with none of their words has nothing for them
        int words = prefilter ? words(masked) : SECRET_WORD | USER_WORD | TOOL_WORD;
        if ((words & SECRET_WORD) != 0 && (!prefilter || masked.contains("--"))) {
            masked = replaceGroup(SECRET_OPTION, masked, 3, OPTION_END);
            masked = replaceGroup(ENCODED_SECRET_OPTION, masked, 3, new ValueEnd(TAIL_ENCODED, 0, false));
        }
        if ((words & TOOL_WORD) != 0) {
            for (CliPassword tool : CLI_PASSWORDS) {
                masked = maskCliPassword(tool, masked);
            }
            masked = replaceGroup(SMBCLIENT_SHARE_PASSWORD, masked, 2, CLI_END);
        }
        if ((words & USER_WORD) != 0 && (!prefilter || masked.contains("--"))) {
            masked = replaceGroup(USER_OPTION, masked, 2, new ValueEnd(TAIL_USER, 0, false));
        }
        if (!prefilter || masked.contains("://") && masked.indexOf('@') >= 0) {
            masked = replaceGroup(URL_USER_INFO, masked, 2, new ValueEnd(TAIL_USER_INFO, 0, false));
        }
        if ((words & SECRET_WORD) != 0 && (!prefilter || masked.indexOf('=') >= 0)) {
            masked = replaceGroup(SECRET_PARAMETER, masked, 2, new ValueEnd(TAIL_PARAMETER, 0, false));
        }
        if ((words & SECRET_WORD) != 0
                && (!prefilter || masked.indexOf('=') >= 0 || masked.indexOf(':') >= 0 || masked.indexOf('%') >= 0)) {
            masked = replaceGroup(AUTHORIZATION, masked, 2, AUTHORIZATION_END); // a header needs ':', '=' or their encoding
            masked = replaceGroup(SECRET_KEYED_ELEMENT, masked, 3, new ValueEnd(TAIL_ELEMENT, 0, false));
            masked = replaceGroup(SECRET_KEYED_VALUE, masked, 3, KEYED_END); // both before the
            // pair: the pair rule takes "key" for a secret's name and would mask the name the value is under
            masked = replaceGroup(SECRET_PAIR, masked, 2, new ValueEnd(TAIL_PAIR, 0, false)); // as does a pair
        }
        if ((words & SECRET_WORD) != 0) {
            masked = replaceGroup(BEARER, masked, 2, new ValueEnd(TAIL_TOKEN, 0, false));
            masked = replaceGroup(COOKIE, masked, 2, new ValueEnd(TAIL_TO_QUOTE, 0, false));
            masked = replaceGroup(SECRET_ELEMENT, masked, 3, new ValueEnd(TAIL_ELEMENT, 0, false));
            masked = replaceGroup(JWT, masked, 2);
        }
        return depth < DECODINGS ? maskDecodedForms(masked, prefilter, depth) : masked;
    }

    /** A run of base64 (either alphabet, RFC 4648) of 16 characters or more, wrapped in lines (MIME, PEM) or not. */
    private static final Pattern BASE64_RUN = Pattern.compile(
            "[A-Za-z0-9+/_-]{16,}+(?:\\r?\\n[A-Za-z0-9+/_-]{4,}+)*+={0,2}");
    private static final Pattern JSON_ESCAPE = Pattern.compile("\\\\u[0-9A-Fa-f]{4}");
    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");

    /**
     * {@code masked} with what its encoded parts hide masked too, the kind of hiding whatever the place: each run of
     * base64 in it ({@link #maskEncoded}: decoded, masked, encoded again); and, when it holds JSON's escapes of a
     * character by its code (a backslash, {@code u}, four hex digits: {@code "pass\\u0077ord": "…"} in a log line) or
     * percent escapes ({@code pass%77ord=…}), the text with those decoded,
     * masked. A decoded form is kept, decoded, only when it held a secret: text without one stays as it came.
     * At most {@value #DECODINGS} encodings inside one another are looked under, so the work stays linear in the
     * text's length ({@code %252525…77} would otherwise be decoded once per {@code 25}).
     */
    private String maskDecodedForms(String masked, boolean prefilter, int depth) {
        if (masked.length() >= 16) {
            Matcher run = BASE64_RUN.matcher(masked);
            StringBuilder out = null;
            int last = 0;
            while (run.find()) {
                String encoded = maskEncoded(run.group(), prefilter, depth);
                if (!encoded.equals(run.group())) {
                    out = out == null ? new StringBuilder(masked.length()) : out;
                    out.append(masked, last, run.start()).append(encoded);
                    last = run.end();
                }
            }
            if (out != null) {
                masked = out.append(masked, last, masked.length()).toString();
            }
        }
        if (masked.contains("\\u")) {
            String decoded = JSON_ESCAPE.matcher(masked).replaceAll(escape -> Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(escape.group().substring(2), 16))));
            String again = decoded.equals(masked) ? decoded : mask(decoded, prefilter, depth + 1);
            masked = again.equals(decoded) ? masked : again;
        }
        if (masked.indexOf('%') >= 0) {
            String decoded = percentDecoded(masked);
            String again = decoded.equals(masked) ? decoded : mask(decoded, prefilter, depth + 1);
            masked = again.equals(decoded) ? masked : again;
        }
        return masked;
    }

    /** {@code text} with each run of {@code %XX} escapes decoded as UTF-8 (malformed bytes become U+FFFD); {@code +} stays. */
    private static String percentDecoded(String text) {
        Matcher escape = PERCENT_ESCAPE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int last = 0;
        while (escape.find()) {
            if (escape.start() != last) {
                flush(bytes, out);
                out.append(text, last, escape.start());
            }
            bytes.write(Integer.parseInt(escape.group().substring(1), 16));
            last = escape.end();
        }
        flush(bytes, out);
        return out.append(text, last, text.length()).toString();
    }

    private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    /**
     * A raw input (what a caller sent, kept on an event or on {@code backup.rejected}) masked in its own encoding, then
     * as text ({@link #mask}): a JSON document value by value, each string as the text it holds once unescaped and a
     * member named like a secret whole, whatever its value ({@code "password": [["…"]]}, a PEM key); a form-encoded
     * body ({@code arg=EndScript&arg=curl+-u+backup%3A…}, Retrospect's handler) each value decoded, masked and encoded
     * again. Anything else, or what does not parse, is masked as text. {@code null} stays.
     */
    public String maskRaw(String raw) {
        if (raw == null || raw.isEmpty()) {
            return raw;
        }
        String text = raw;
        char first = firstNonBlank(raw);
        if (first == '{' || first == '[') {
            try {
                tools.jackson.databind.JsonNode tree = dev.vigil.model.Json.mapper().readTree(raw);
                tools.jackson.databind.JsonNode masked = maskJson(tree);
                text = masked.equals(tree) ? raw : dev.vigil.model.Json.mapper().writeValueAsString(masked);
            } catch (RuntimeException e) {
                text = raw; // not JSON after all: masked as text
            }
        } else if (raw.indexOf('=') > 0 && FORM.matcher(raw).matches()) {
            StringBuilder out = new StringBuilder(raw.length());
            for (String pair : raw.split("&", -1)) {
                out.append(out.isEmpty() ? "" : "&");
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    out.append(pair);
                    continue;
                }
                String value = decode(pair.substring(eq + 1));
                String masked = maskAttribute(decode(pair.substring(0, eq)), value);
                // a value without a secret stays byte for byte as it came (a base64 payload, a URI)
                out.append(masked.equals(value) ? pair : pair.substring(0, eq + 1) + encode(masked));
            }
            text = out.toString();
        }
        return mask(text);
    }

    /** A form-encoded body: no blanks or line breaks, {@code name=value} pairs joined by {@code &}. */
    private static final Pattern FORM = Pattern.compile("[^\\s&=]*+(?:=[^\\s&]*+)?+(?:&[^\\s&=]*+(?:=[^\\s&]*+)?+)*+");

    private static char firstNonBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return text.charAt(i);
            }
        }
        return ' ';
    }

    private tools.jackson.databind.JsonNode maskJson(tools.jackson.databind.JsonNode node) {
        if (node.isString()) {
            String value = node.asString();
            String masked = mask(value);
            return masked.equals(value) ? node : tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(masked);
        }
        if (node.isArray()) {
            var array = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> array.add(maskJson(item)));
            return array;
        }
        if (node.isObject()) {
            var object = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            for (var field : node.properties()) {
                boolean secret = !field.getValue().isNull() && MASK.equals(maskAttribute(field.getKey(), "x"));
                object.set(mask(field.getKey()), secret
                        ? tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(MASK) : maskJson(field.getValue()));
            }
            return object;
        }
        return node;
    }

    private static String decode(String text) {
        try {
            return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@code name} (a job name, an event or run id: what tells one thing from another) masked as {@link #mask}; when
     * that changed it, followed by {@code #} and 12 hex digits of the SHA-256 of the name as sent, so two names that
     * differ only in what was masked stay two. {@code null} stays.
     */
    public String maskName(String name) {
        String masked = mask(name);
        if (masked == null || masked.equals(name)) {
            return masked;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return masked + "#" + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The value of the attribute {@code name}, masked: {@value #MASK} whole when the name names a secret
     * ({@code password}, {@code PGPASSWORD}, {@code api_key}, {@code Authorization}, {@code smtp-auth}), else
     * {@link #mask(String)} of it. {@code null} stays.
     */
    public String maskAttribute(String name, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (name != null && namesSecret(name)) {
            return MASK;
        }
        return mask(value);
    }

    /**
     * {@code value}, a run of base64 ({@link #BASE64_RUN}), when it is no base64 of a secret; else the decoded text
     * masked and encoded again the same way (on one line). Base64 that decodes to UTF-8 text hides that text from every
     * pattern: a caller's {@code note=cGFzc3dvcmQ9...} ({@code password=...}) would pass. Anything else (a hash, an id,
     * a path, binary data, a run mixing both alphabets) stays as it came.
     */
    private String maskEncoded(String value, boolean prefilter, int depth) {
        if (value.length() > 64_000) {
            return value;
        }
        String unwrapped = value.indexOf('\n') >= 0 ? value.replace("\r", "").replace("\n", "") : value;
        boolean urlSafe = unwrapped.indexOf('-') >= 0 || unwrapped.indexOf('_') >= 0;
        String text;
        try {
            byte[] bytes = (urlSafe ? java.util.Base64.getUrlDecoder() : java.util.Base64.getDecoder()).decode(unwrapped);
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            return value;
        }
        String masked = mask(text, prefilter, depth + 1);
        if (masked.equals(text)) {
            return value;
        }
        byte[] out = masked.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return urlSafe ? java.util.Base64.getUrlEncoder().encodeToString(out) : java.util.Base64.getEncoder().encodeToString(out);
    }

    /** At most this many attribute names are remembered with their verdict (a source's names are a few dozen). */
    static final int REMEMBERED_NAMES = 1_000;
    private final java.util.Map<String, Boolean> secretNames = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * True when {@code name} names a secret ({@link #SECRET_ATTRIBUTE}; a name over 200 characters never does). Every
     * hook of a source carries the same attribute names, so the verdict is remembered for up to
     * {@value #REMEMBERED_NAMES} names; names beyond (made up by a caller) are matched each time.
     */
    private boolean namesSecret(String name) {
        if (name.length() > 200) {
            return false;
        }
        Boolean known = secretNames.get(name);
        if (known != null) {
            return known;
        }
        boolean secret = SECRET_ATTRIBUTE.matcher(name).matches();
        if (secretNames.size() < REMEMBERED_NAMES) {
            secretNames.put(name, secret);
        }
        return secret;
    }

    private static final int SECRET_WORD = 1;
    private static final int USER_WORD = 2;
    private static final int TOOL_WORD = 4;

    /**
     * Which words of the patterns {@code text} holds, in any case, in one pass: {@link #SECRET_WORD} for {@code pwd},
     * {@code pass}, {@code secret}, {@code token}, {@code key}, {@code auth}, {@code sig}, {@code bearer}, {@code cred},
     * {@code cookie} or {@code eyJ} (every secret name of {@link #SECRET_OPTION}, {@link #SECRET_PARAMETER},
     * {@link #SECRET_PAIR}, {@link #SECRET_ELEMENT}, {@link #AUTHORIZATION}, {@link #BEARER}, {@link #COOKIE} holds one,
     * and every {@link #JWT} starts with {@code eyJ}), {@link #USER_WORD} for
     * {@code usr} or {@code user} ({@link #USER_OPTION}), {@link #TOOL_WORD} for a part of the name of every tool in
     * {@link #CLI_PASSWORDS} ({@code mysql}, {@code maria}, {@code xtrabackup}, {@code sshpass}, {@code curl},
     * {@code smb}, {@code rpcclient}, {@code lftp}, {@code 7z}, {@code rar}, {@code zip}, {@code openssl},
     * {@code ncftp}, {@code sqlcmd}, {@code mongo}, {@code redis}, {@code ldap}).
     */
    private static int words(String text) {
        int found = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            switch (text.charAt(i) | 0x20) { // ASCII letters in lower case; no other character becomes one of these
                case 'p' -> found |= word(text, i, "pwd") || word(text, i, "pass") ? SECRET_WORD : 0;
                case 's' -> found |= (word(text, i, "secret") || word(text, i, "sig") ? SECRET_WORD : 0)
                        | (word(text, i, "sshpass") || word(text, i, "smb") || word(text, i, "sqlcmd") ? TOOL_WORD : 0);
                case 't' -> found |= word(text, i, "token") ? SECRET_WORD : 0;
                case 'k' -> found |= word(text, i, "key") ? SECRET_WORD : 0;
                case 'a' -> found |= word(text, i, "auth") ? SECRET_WORD : 0;
                case 'b' -> found |= word(text, i, "bearer") ? SECRET_WORD : 0;
                case 'c' -> found |= (word(text, i, "cred") || word(text, i, "cookie") ? SECRET_WORD : 0)
                        | (word(text, i, "curl") ? TOOL_WORD : 0);
                case 'm' -> found |= word(text, i, "mysql") || word(text, i, "maria") || word(text, i, "mongo")
                        ? TOOL_WORD : 0;
                case 'x' -> found |= word(text, i, "xtrabackup") ? TOOL_WORD : 0;
                case 'r' -> found |= word(text, i, "rpcclient") || word(text, i, "rar") || word(text, i, "redis")
                        ? TOOL_WORD : 0;
                case 'l' -> found |= word(text, i, "lftp") || word(text, i, "ldap") ? TOOL_WORD : 0;
                case 'z' -> found |= word(text, i, "zip") ? TOOL_WORD : 0;
                case 'o' -> found |= word(text, i, "openssl") ? TOOL_WORD : 0;
                case 'n' -> found |= word(text, i, "ncftp") ? TOOL_WORD : 0;
                case 'w' -> found |= word(text, i, "winrar") ? TOOL_WORD : 0;
                case 0x37 -> found |= word(text, i, "7z") ? TOOL_WORD : 0; // '7' (0x37 | 0x20 is itself)
                case 'e' -> found |= word(text, i, "eyj") ? SECRET_WORD : 0;
                case 'u' -> found |= (word(text, i, "usr") || word(text, i, "user") ? USER_WORD : 0)
                        | (word(text, i, "unzip") || word(text, i, "unrar") ? TOOL_WORD : 0);
                default -> { }
            }
            if (found == (SECRET_WORD | USER_WORD | TOOL_WORD)) {
                break;
            }
        }
        return found;
    }

    private static boolean word(String text, int at, String word) {
        return text.regionMatches(true, at, word, 0, word.length());
    }

    /**
     * Every maximal run of 16–256 token characters ({@code [A-Za-z0-9_-]}) that {@link #knownToken} knows, masked: one
     * pass over the text, each run offered once.
     */
    private String maskKnownTokens(String text) {
        StringBuilder out = null;
        int last = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isTokenChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isTokenChar(text.charAt(i))) {
                i++;
            }
            if (i - start >= 16 && i - start <= 256 && knownToken.test(text.substring(start, i))) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(text, last, start).append(MASK);
                last = i;
            }
        }
        return out == null ? text : out.append(text, last, n).toString();
    }

    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    /**
     * {@code text} with the value of every password option of {@code cli} masked, in every command that runs the tool:
     * each command is read once from the tool's name to its end (a new line, {@code |}, {@code ;} or {@code &}), so the
     * time is linear in the text however many options come first.
     */
    private static String maskCliPassword(CliPassword cli, String text) {
        Matcher tool = cli.tool().matcher(text);
        if (!tool.find()) {
            return text;
        }
        Matcher option = cli.option().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        Matcher value = CLI_VALUE_AT.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        StringBuilder out = null;
        int last = 0;
        int next;
        do {
            int end = commandEnd(text, tool.end());
            int at = tool.end();
            while (at < end && option.region(at, end).find()) {
                at = option.end();
                if (!value.region(at, Math.min(text.length(), at + 1_100)).lookingAt()) {
                    continue;
                }
                String found = value.group(1);
                at = value.end();
                if (found.startsWith(MASK) || found.startsWith("\"" + MASK) || found.startsWith("'" + MASK)) {
                    continue; // masked by an earlier rule
                }
                out = out == null ? new StringBuilder(text.length()) : out;
                out.append(text, last, value.start(1)).append(found.startsWith("\"") ? "\"" + MASK + "\""
                        : found.startsWith("'") ? "'" + MASK + "'" : MASK);
                last = restOfValue(text, found, value.end(1), CLI_END); // a value longer than CLI_VALUE's bound
                at = last;
            }
            next = Math.max(end, at);
        } while (next < text.length() && tool.find(next));
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    /**
     * Where a masked {@code value} that a pattern matched up to {@code end} really ends, as {@code shape} says: a quoted
     * value closed by its quote ends there; one its pattern cut at its quoted bound goes on to its closing quote; any
     * other (unquoted, or an unclosed quote) over the pattern's tail. A JSON array or object, or a value in escaped
     * quotes, ends where it was matched.
     */
    private static int restOfValue(String text, String value, int end, ValueEnd shape) {
        int open = value.startsWith("\\\"") || value.startsWith("\\'") ? 1 : 0; // an escaped quote, \" in JSON text
        char quote = value.length() > open ? value.charAt(open) : 0;
        Pattern rest = shape.tail();
        if (quote == '"' || quote == '\'') {
            if (value.length() > open + 1 && value.charAt(value.length() - 1) == quote) {
                return end; // closed
            }
            if (shape.quotedBound() > 0 && value.length() == open + 1 + shape.quotedBound()) {
                rest = quote == '"' ? (shape.quotedAcrossLines() ? TAIL_DOUBLE_QUOTED_LINES : TAIL_DOUBLE_QUOTED)
                        : (shape.quotedAcrossLines() ? TAIL_SINGLE_QUOTED_LINES : TAIL_SINGLE_QUOTED);
            } else if (open > 0) {
                return end;
            }
        } else if (open > 0 || quote == '[' || quote == '{') {
            return end;
        }
        if (rest == null) {
            return end;
        }
        Matcher more = rest.matcher(text).region(end, text.length()).useTransparentBounds(true); // lookbehinds
        return more.lookingAt() ? more.end() : end;
    }

    /** Where the shell command that goes on at {@code from} ends: its new line, {@code |}, {@code ;} or {@code &}. */
    private static int commandEnd(String text, int from) {
        for (int i = from, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '|' || c == ';' || c == '&') {
                return i;
            }
        }
        return text.length();
    }

    private static String replaceGroup(Pattern pattern, String text, int group) {
        return replaceGroup(pattern, text, group, new ValueEnd(null, 0, false));
    }

    /**
     * {@code text} with group {@code group} of every match of {@code pattern} masked, each value to its end as
     * {@link #restOfValue} finds it by {@code shape}. A match that starts inside a value just masked masks what it
     * reaches beyond it.
     */
    private static String replaceGroup(Pattern pattern, String text, int group, ValueEnd shape) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            String value = m.group(group);
            if (m.start(group) < last) {
                char first = value.isEmpty() ? 0 : value.charAt(0);
                if (m.end(group) > last || first == '"' || first == '\'' || value.startsWith("\\\"")
                        || value.startsWith("\\'")) {
                    last = Math.max(last, restOfValue(text, value, m.end(group), shape)); // one mask for both
                } // else: unquoted and inside the masked value, its tail ends where that one's did (linear time)
                continue;
            }
            if (value.startsWith(MASK) || value.startsWith("\"" + MASK) || value.startsWith("'" + MASK)
                    || value.startsWith("\\\"" + MASK)) {
                continue; // masked by an earlier rule
            }
            out.append(text, last, m.start(group));
            out.append(value.startsWith("\\\"") ? "\\\"" + MASK + "\\\"" : value.startsWith("\"") ? "\"" + MASK + "\""
                    : value.startsWith("'") ? "'" + MASK + "'" : MASK);
            last = restOfValue(text, value, m.end(group), shape);
        } while (m.find());
        out.append(text, last, text.length());
        return out.toString();
    }
}
