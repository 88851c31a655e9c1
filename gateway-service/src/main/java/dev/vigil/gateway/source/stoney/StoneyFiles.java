package dev.vigil.gateway.source.stoney;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.JobKey;
import dev.vigil.model.Measures;
import dev.vigil.model.Outcome;
import dev.vigil.model.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The files a stoney client uploads after each run (source spec §3.5) — {@code backupStarted.xml},
 * {@code backupEnded.xml}, {@code scheduler.xml} — and the {@code /bin/getQuota} line, as events of the job
 * {@code (account, prefix)}. Start and end pair by the file's {@code id}, which also makes the event ids.
 */
final class StoneyFiles {

    static final String STARTED = "backupStarted.xml";
    static final String ENDED = "backupEnded.xml";
    static final String SCHEDULER = "scheduler.xml";
    static final long MIB = 1024L * 1024;

    /** Thrown for an upload that is not what its name says; the message says why. */
    static final class InvalidFileException extends Exception {
        InvalidFileException(String message) {
            super(message);
        }
    }

    private StoneyFiles() {
    }

    static BackupEvent toEvent(String tenant, String account, String prefix, String file, String xml, ZoneId zone,
                               Instant receivedAt) throws InvalidFileException {
        Element root = parse(xml).getDocumentElement();
        JobKey job = new JobKey(tenant, account, prefix);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("prefix", prefix);
        client(root, attributes);
        return switch (file) {
            case STARTED -> run(root, "backup_started", "startdate", job, attributes, zone, receivedAt, xml);
            case ENDED -> run(root, "backup_ended", "enddate", job, attributes, zone, receivedAt, xml);
            case SCHEDULER -> schedule(root, job, attributes, zone, receivedAt, xml);
            default -> throw new InvalidFileException("Unknown file '" + file + "': a stoney client uploads "
                    + STARTED + ", " + ENDED + " or " + SCHEDULER + ".");
        };
    }

    private static BackupEvent run(Element root, String expectedRoot, String dateElement, JobKey job,
                                   Map<String, String> attributes, ZoneId zone, Instant receivedAt, String xml)
            throws InvalidFileException {
        requireRoot(root, expectedRoot);
        String id = text(root, "id");
        if (id == null || id.isBlank()) {
            throw new InvalidFileException("<" + expectedRoot + "> has no <id>, which pairs a start with its end.");
        }
        Instant at = date(text(root, dateElement), zone, attributes, receivedAt);
        boolean started = expectedRoot.equals("backup_started");
        Outcome outcome = Outcome.NONE;
        if (!started) {
            String success = text(root, "success");
            outcome = "1".equals(success == null ? null : success.strip()) ? Outcome.SUCCESS
                    : "0".equals(success == null ? null : success.strip()) ? Outcome.FAILED : Outcome.NONE;
            if (outcome == Outcome.NONE) {
                attributes.put("malformed", "true");
                attributes.put("success.raw", String.valueOf(success));
            }
        }
        String eventId = "stoney-" + job.account() + "-" + job.job() + "-" + id.strip() + (started ? "-started" : "-ended");
        return new BackupEvent(eventId, Source.STONEY, started ? EventType.BACKUP_STARTED : EventType.BACKUP_FINISHED,
                outcome, at, receivedAt, job, id.strip(), null,
                outcome == Outcome.FAILED ? new dev.vigil.model.ErrorInfo(null, "the client reported the backup as unsuccessful") : null,
                attributes, xml);
    }

    /**
     * The zone a stoney schedule is judged in. The client writes a fixed UTC offset (its offset on the day it wrote
     * the file); judged in that offset, the schedule would shift by an hour twice a year. When the registration names
     * a region zone that uses this offset in winter or in summer, the region is meant, and its DST rules apply.
     */
    static ZoneId regionOf(java.time.ZoneOffset offset, ZoneId registrationZone, Instant at) {
        if (registrationZone instanceof java.time.ZoneOffset || registrationZone.getRules().isFixedOffset()) {
            return offset;
        }
        var rules = registrationZone.getRules();
        Instant winter = at.atZone(java.time.ZoneOffset.UTC).withMonth(1).withDayOfMonth(15).toInstant();
        Instant summer = at.atZone(java.time.ZoneOffset.UTC).withMonth(7).withDayOfMonth(15).toInstant();
        return offset.equals(rules.getOffset(winter)) || offset.equals(rules.getOffset(summer)) ? registrationZone : offset;
    }

    private static BackupEvent schedule(Element root, JobKey job, Map<String, String> attributes, ZoneId zone,
                                        Instant receivedAt, String xml) throws InvalidFileException {
        requireRoot(root, "online_backup_schedule");
        Element custom = child(root, "custom_online_backup");
        Element afterStartup = child(root, "backup_after_startup");
        if (custom != null) {
            attributes.put("schedule.kind", "custom");
            String minutes = list(custom, "minutes", "minute_selected", "every_minute", 0, 59, true);
            String hours = list(custom, "hours", "hour_selected", "every_hour", 0, 23, true);
            String days = list(custom, "days_of_month", "day_of_month_selected", "every_day_of_month", 1, 31, false);
            String months = list(custom, "months", "month_selected", "everymonth", 1, 12, false);
            String weekdays = weekdays(custom);
            attributes.put("schedule.cron", String.join(" ", minutes, hours, days, months, weekdays));
            String tz = text(custom, "timezone");
            if (tz != null) {
                attributes.put("schedule.offset.raw", tz.strip());
                var offset = offsetOf(tz.strip());
                attributes.put("schedule.zone", offset != null ? regionOf(offset, zone, receivedAt).getId() : zone.getId());
                if (offset == null) {
                    attributes.put("schedule.zone.repair", "timezone " + tz.strip() + " not recoverable: using " + zone);
                }
            } else {
                attributes.put("schedule.zone", zone.getId());
            }
        } else if (afterStartup != null) {
            attributes.put("schedule.kind", "after_startup");
            attributes.put("schedule.minutesAfterStartup", String.valueOf(integer(text(afterStartup, "minutes_after_startup"))));
        } else if (child(root, "no_schedule") != null) {
            attributes.put("schedule.kind", "none");
        } else {
            throw new InvalidFileException("<online_backup_schedule> holds none of <no_schedule>, "
                    + "<backup_after_startup>, <custom_online_backup>.");
        }
        return new BackupEvent("stoney-" + job.account() + "-" + job.job() + "-schedule-" + sha(xml), Source.STONEY,
                EventType.SCHEDULE_DECLARED, Outcome.NONE, receivedAt, receivedAt, job, null, null, null, attributes, xml);
    }

    /** {@code quota backup snapshot} in MiB, as {@code /bin/getQuota} prints it; used = backup + snapshot. */
    static BackupEvent quota(String tenant, String account, String line, Instant receivedAt) throws InvalidFileException {
        String[] parts = line == null ? new String[0] : line.strip().split("\\s+");
        if (parts.length != 3) {
            throw new InvalidFileException("A quota report is one line 'quota backup snapshot' in MiB, e.g. "
                    + "'10240 7800 900'.");
        }
        long[] mib = new long[3];
        for (int i = 0; i < 3; i++) {
            Long value = integer(parts[i]);
            if (value == null || value < 0 || value > Long.MAX_VALUE / MIB / 2) {
                throw new InvalidFileException("'" + parts[i] + "' is not a size in MiB.");
            }
            mib[i] = value;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("quotaMiB", Long.toString(mib[0]));
        attributes.put("backupMiB", Long.toString(mib[1]));
        attributes.put("snapshotMiB", Long.toString(mib[2]));
        return new BackupEvent("stoney-" + account + "-quota-" + receivedAt.toEpochMilli(), Source.STONEY,
                EventType.QUOTA_REPORTED, Outcome.NONE, receivedAt, receivedAt, new JobKey(tenant, account, "quota"),
                null, new Measures(null, null, null, null, (mib[1] + mib[2]) * MIB, mib[0] * MIB), null, attributes,
                line);
    }

    private static java.time.ZoneOffset offsetOf(String tz) {
        var m = java.util.regex.Pattern.compile("([+-])(\\d{1,9}):(\\d{2})\\d?").matcher(tz);
        if (tz.equals("Z") || tz.equals("-00:00")) {
            return java.time.ZoneOffset.UTC;
        }
        return m.matches() ? StoneyDates.offset(m.group(1), m.group(2), m.group(3)) : null;
    }

    /**
     * {@code week_day} runs 1 = Monday … 7 = Sunday (Sepiola's enum + 1); cron's Sunday is 0. A missing section is
     * every day, as is {@code every_day_of_week}.
     *
     * @throws InvalidFileException for a section that selects no day, or a day outside 1–7
     */
    private static String weekdays(Element custom) throws InvalidFileException {
        String days = list(custom, "days_of_week", "week_day", "every_day_of_week", 1, 7, false);
        if (days.equals("*")) {
            return days;
        }
        List<String> values = new ArrayList<>();
        for (String day : days.split(",")) {
            values.add(Long.toString(Long.parseLong(day) % 7));
        }
        return String.join(",", values);
    }

    /**
     * The selected values of a section as a cron field; "*" when the section says every (or, for a section that is
     * not {@code required}, when it is missing). Perl writes "00".
     *
     * @throws InvalidFileException when a required section is missing, a section selects nothing, or a selected value
     *         is not an integer from {@code min} to {@code max}: such a schedule says nothing a run can be expected
     *         by (read as "every minute", it would raise a missed run every minute)
     */
    private static String list(Element custom, String section, String selected, String every, int min, int max,
                               boolean required) throws InvalidFileException {
        Element element = child(custom, section);
        if (element == null && !required) {
            return "*";
        }
        if (element == null) {
            throw new InvalidFileException("<custom_online_backup> has no <" + section + ">: the schedule names no "
                    + "time a run is expected at.");
        }
        if (child(element, every) != null) {
            return "*";
        }
        java.util.TreeSet<Long> values = new java.util.TreeSet<>();
        for (Element value : children(element, selected)) {
            Long n = integer(value.getTextContent());
            if (n == null || n < min || n > max) {
                throw new InvalidFileException("<" + selected + "> '" + dev.vigil.model.Text.line(
                        value.getTextContent(), 40) + "' is not from " + min + " to " + max + ".");
            }
            values.add(n);
        }
        if (values.isEmpty()) {
            throw new InvalidFileException("<" + section + "> selects nothing: neither <" + every + "> nor a <"
                    + selected + ">.");
        }
        return values.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    private static Instant date(String text, ZoneId zone, Map<String, String> attributes, Instant receivedAt) {
        StoneyDates.Parsed parsed = StoneyDates.parse(text, zone);
        if (parsed == null) {
            attributes.put("unparsedDate", String.valueOf(text));
            return receivedAt;
        }
        if (parsed.repair() != null) {
            attributes.put("dateRepair", parsed.repair());
        }
        return parsed.instant();
    }

    private static void client(Element root, Map<String, String> attributes) {
        Element client = child(root, "client");
        if (client == null) {
            return;
        }
        put(attributes, "client.identifier", text(client, "identifier"));
        put(attributes, "client.version", text(client, "version"));
        put(attributes, "client.os", text(client, "operatingsystem"));
    }

    private static Document parse(String xml) throws InvalidFileException {
        if (xml == null || xml.isBlank()) {
            throw new InvalidFileException("The upload is empty.");
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // fatal errors throw; nothing printed
            // the text is decoded already (BodyText): an encoding in its XML declaration must not decode it again
            return builder.parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
        } catch (SAXException e) {
            throw new InvalidFileException("The upload is not well-formed XML: " + e.getMessage());
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireRoot(Element root, String name) throws InvalidFileException {
        if (!name.equals(local(root))) {
            throw new InvalidFileException("Expected <" + name + ">, got <" + root.getTagName() + ">.");
        }
    }

    private static String local(Node node) {
        String name = node.getNodeName();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && name.equals(local(e))) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().strip();
    }

    private static Long integer(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void put(Map<String, String> attributes, String key, String value) {
        if (value != null && !value.isEmpty()) {
            attributes.put(key, value);
        }
    }

    private static String sha(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
