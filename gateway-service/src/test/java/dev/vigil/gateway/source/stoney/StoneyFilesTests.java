package dev.vigil.gateway.source.stoney;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.BackupEvent;
import dev.vigil.model.EventType;
import dev.vigil.model.Outcome;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vectors S1, S3, S6 and the quirks of §3.5. */
class StoneyFilesTests {

    static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");
    static final Instant RECEIVED = Instant.parse("2026-11-21T12:00:00Z");

    static final String STARTED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <backup_started xsi:schemaLocation="http://xml.stepping-stone.ch/schema/backup_started backup_started.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <startdate>2014-01-31T20:00:05+01:00</startdate><id>1804289383</id>
              <client><identifier>Sepiola Online Backup Client</identifier><version>2.4.1</version><operatingsystem>Windows</operatingsystem></client>
            </backup_started>""";

    static BackupEvent event(String file, String xml) throws Exception {
        return StoneyFiles.toEvent("stoney", "3723707", "laptop", file, xml, ZURICH, RECEIVED);
    }

    @Test
    void aStartedFileStartsARunPairedById() throws Exception {
        BackupEvent e = event(StoneyFiles.STARTED, STARTED);

        assertThat(e.type()).isEqualTo(EventType.BACKUP_STARTED);
        assertThat(e.runId()).isEqualTo("1804289383");
        assertThat(e.id()).isEqualTo("stoney-3723707-laptop-1804289383-started");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2014-01-31T19:00:05Z"));
        assertThat(e.job().asString()).isEqualTo("stoney/3723707/laptop");
        assertThat(e.attributes()).containsEntry("client.identifier", "Sepiola Online Backup Client")
                .containsEntry("client.version", "2.4.1").containsEntry("client.os", "Windows");
    }

    @Test
    void s1AnEndedFileWithSuccessZeroIsAnUnsuccessfulRunOfTheSameId() throws Exception {
        BackupEvent e = event(StoneyFiles.ENDED, """
                <backup_ended><enddate>2014-01-31T20:41:00+01:00</enddate><id>1804289383</id><success>0</success>
                <client><identifier>Online Backup Perl Script</identifier><version>2.0.11</version><operatingsystem>linux</operatingsystem></client>
                </backup_ended>""");

        assertThat(e.type()).isEqualTo(EventType.BACKUP_FINISHED);
        assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(e.runId()).isEqualTo("1804289383");
        assertThat(e.id()).isEqualTo("stoney-3723707-laptop-1804289383-ended");
    }

    @Test
    void s3QuotaReportInMebibytes() throws Exception {
        BackupEvent e = StoneyFiles.quota("stoney", "3723707", "10240 7800 900\n", RECEIVED);

        assertThat(e.type()).isEqualTo(EventType.QUOTA_REPORTED);
        assertThat(e.measures().quotaTotalBytes()).isEqualTo(10240L * 1024 * 1024);
        assertThat(e.measures().quotaUsedBytes()).isEqualTo(8700L * 1024 * 1024);
        assertThat(e.measures().quotaUsedPercent()).isCloseTo(84.96, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void s6ThePerlMidnightOffsetIsRepairedToTheZurichOffset() throws Exception {
        BackupEvent e = event(StoneyFiles.STARTED, STARTED.replace("2014-01-31T20:00:05+01:00", "2014-01-31T00:30:00-23:00"));

        assertThat(e.occurredAt()).isEqualTo(LocalDateTime.parse("2014-01-31T00:30:00").atZone(ZURICH).toInstant());
        assertThat(e.attributes()).containsKey("dateRepair");
    }

    @ParameterizedTest
    @CsvSource({
            "2014-01-31T20:00:05-00:00, 2014-01-31T20:00:05Z",          // -00:00 is UTC
            "2014-01-31T15:00:00+1193041:28, 2014-01-31T20:00:00Z",     // Sepiola, New York: -05:00 + 2^32 s
            "2014-01-31T20:00:00+19:00, 2014-02-01T01:00:00Z",          // Perl, west of UTC near midnight: -05:00
            "2014-01-31T20:00:00+05:450, 2014-01-31T14:15:00Z",         // Perl, Kathmandu
            "2014-01-31T20:00:00, 2014-01-31T19:00:00Z"})               // no offset: the account's zone
    void offsetsAreRepairedWhereTheTextAllows(String written, String expected) {
        assertThat(StoneyDates.parse(written, ZURICH).instant()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void aCorrectOffsetIsNotFlagged() {
        assertThat(StoneyDates.parse("2014-01-31T20:00:05+01:00", ZURICH).repair()).isNull();
        assertThat(StoneyDates.parse("2014-01-31T20:00:05-00:00", ZURICH).repair()).isNull();
        assertThat(StoneyDates.parse("2014-01-31T15:00:00+1193041:28", ZURICH).offset()).isEqualTo(ZoneOffset.ofHours(-5));
    }

    @Test
    void s2CustomScheduleWithWeekdaysMondayFirstBecomesACron() throws Exception {
        BackupEvent e = event(StoneyFiles.SCHEDULER, """
                <online_backup_schedule><custom_online_backup>
                  <minutes><minute_selected>0</minute_selected></minutes><hours><hour_selected>20</hour_selected></hours>
                  <days_of_month><every_day_of_month>*</every_day_of_month></days_of_month><months><everymonth>*</everymonth></months>
                  <days_of_week><week_day>1</week_day><week_day>3</week_day><week_day>5</week_day><week_day>7</week_day></days_of_week>
                  <timezone>+01:00</timezone></custom_online_backup>
                  <client><identifier>Sepiola Online Backup Client</identifier><version>2.4.1</version></client>
                </online_backup_schedule>""");

        assertThat(e.type()).isEqualTo(EventType.SCHEDULE_DECLARED);
        assertThat(e.attributes()).containsEntry("schedule.kind", "custom")
                .containsEntry("schedule.cron", "0 20 * * 1,3,5,0")
                .as("+01:00 is Zurich's winter offset: the registration's region is meant, with its DST")
                .containsEntry("schedule.zone", "Europe/Zurich");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"+01:00, Europe/Zurich", "+02:00, Europe/Zurich", "+05:00, +05:00",
            "-05:00, -05:00"})
    void aFixedOffsetIsJudgedInTheRegistrationsRegionWhenTheRegionUsesIt(String offset, String zone) {
        assertThat(StoneyFiles.regionOf(java.time.ZoneOffset.of(offset), ZURICH, RECEIVED).getId()).isEqualTo(zone);
        assertThat(StoneyFiles.regionOf(java.time.ZoneOffset.of(offset), java.time.ZoneOffset.UTC, RECEIVED).getId())
                .isEqualTo(offset);
    }

    @Test
    void thePerlClientsZeroZeroMinutesAndEveryWeekday() throws Exception {
        BackupEvent e = event(StoneyFiles.SCHEDULER, """
                <online_backup_schedule><custom_online_backup>
                  <minutes><minute_selected>00</minute_selected></minutes><hours><hour_selected>03</hour_selected></hours>
                  <days_of_month><every_day_of_month>*</every_day_of_month></days_of_month><months><everymonth>*</everymonth></months>
                  <days_of_week><every_day_of_week>*</every_day_of_week></days_of_week><timezone>-00:00</timezone>
                </custom_online_backup></online_backup_schedule>""");

        assertThat(e.attributes()).containsEntry("schedule.cron", "0 3 * * *").containsEntry("schedule.zone", "Z");
    }

    /** A custom schedule that names no usable time is refused: read as "every minute" it raised a miss every minute. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "\"\"                                                                            | has no <minutes>",
            "<minutes><minute_selected>0</minute_selected></minutes>                         | has no <hours>",
            "<minutes/><hours><hour_selected>20</hour_selected></hours>                       | <minutes> selects nothing",
            "<minutes><minute_selected>99</minute_selected></minutes><hours><every_hour>*</every_hour></hours> | '99' is not from 0 to 59",
            "<minutes><minute_selected>0</minute_selected></minutes><hours><hour_selected>-5</hour_selected></hours> | '-5' is not from 0 to 23",
            "<minutes><minute_selected>x</minute_selected></minutes><hours><hour_selected>1</hour_selected></hours> | 'x' is not from 0 to 59",
            "<minutes><minute_selected>0</minute_selected></minutes><hours><hour_selected>1</hour_selected></hours><days_of_week/> | <days_of_week> selects nothing",
            "<minutes><minute_selected>0</minute_selected></minutes><hours><hour_selected>1</hour_selected></hours><days_of_week><week_day>8</week_day></days_of_week> | '8' is not from 1 to 7",
            "<minutes><minute_selected>0</minute_selected></minutes><hours><hour_selected>1</hour_selected></hours><months><month_selected>13</month_selected></months> | '13' is not from 1 to 12",
    })
    void aCustomScheduleWithoutAUsableTimeIsRefused(String sections, String reason) {
        assertThatThrownBy(() -> event(StoneyFiles.SCHEDULER, "<online_backup_schedule><custom_online_backup>" + sections
                + "</custom_online_backup></online_backup_schedule>")).hasMessageContaining(reason);
    }

    @Test
    void missingDaySectionsMeanEveryDayAndRepeatedValuesCountOnce() throws Exception {
        BackupEvent e = event(StoneyFiles.SCHEDULER, "<online_backup_schedule><custom_online_backup><minutes>"
                + "<minute_selected>30</minute_selected><minute_selected>0</minute_selected><minute_selected>30"
                + "</minute_selected></minutes><hours><hour_selected>2</hour_selected></hours></custom_online_backup>"
                + "</online_backup_schedule>");
        assertThat(e.attributes()).containsEntry("schedule.cron", "0,30 2 * * *");
    }

    @Test
    void afterStartupAndNoSchedule() throws Exception {
        assertThat(event(StoneyFiles.SCHEDULER, "<online_backup_schedule><backup_after_startup><minutes_after_startup>10"
                + "</minutes_after_startup></backup_after_startup></online_backup_schedule>").attributes())
                .containsEntry("schedule.kind", "after_startup").containsEntry("schedule.minutesAfterStartup", "10");
        assertThat(event(StoneyFiles.SCHEDULER, "<online_backup_schedule><no_schedule/></online_backup_schedule>")
                .attributes()).containsEntry("schedule.kind", "none");
    }

    @Test
    void wrongShapesAreRefusedWithAReason() {
        assertThatThrownBy(() -> event(StoneyFiles.ENDED, STARTED)).hasMessageContaining("Expected <backup_ended>");
        assertThatThrownBy(() -> event(StoneyFiles.STARTED, "<backup_started><startdate>x</startdate></backup_started>"))
                .hasMessageContaining("no <id>");
        assertThatThrownBy(() -> event(StoneyFiles.STARTED, "<backup_started>")).hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> event("other.xml", STARTED)).hasMessageContaining("Unknown file");
        assertThatThrownBy(() -> StoneyFiles.quota("s", "a", "10240 x 900", RECEIVED)).hasMessageContaining("not a size");
    }

    @Test
    void externalEntitiesAreNeverResolved() {
        assertThatThrownBy(() -> event(StoneyFiles.STARTED, """
                <?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <backup_started><id>&x;</id></backup_started>""")).isInstanceOf(StoneyFiles.InvalidFileException.class);
    }

    @Test
    void generatedUploadsEitherParseOrAreRefusedNeverThrowOtherwise() {
        Random random = new Random(7);
        String[] seeds = {STARTED, "<backup_ended><id>1</id><success>1</success><enddate>2014-01-31T20:00:00+01:00</enddate></backup_ended>",
                "<online_backup_schedule><no_schedule/></online_backup_schedule>"};
        String[] files = {StoneyFiles.STARTED, StoneyFiles.ENDED, StoneyFiles.SCHEDULER};
        for (int i = 0; i < 3_000; i++) {
            int kind = random.nextInt(3);
            String seed = seeds[kind];
            String input = switch (random.nextInt(3)) {
                case 0 -> seed.substring(0, random.nextInt(seed.length()));
                case 1 -> {
                    char[] chars = seed.toCharArray();
                    chars[random.nextInt(chars.length)] = (char) random.nextInt(0x800);
                    yield new String(chars);
                }
                default -> {
                    byte[] bytes = new byte[random.nextInt(200)];
                    random.nextBytes(bytes);
                    yield new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
                }
            };
            try {
                event(files[kind], input);
            } catch (StoneyFiles.InvalidFileException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (Exception e) {
                throw new AssertionError("input " + i + " escaped as " + e, e);
            }
        }
    }
}
