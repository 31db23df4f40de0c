package io.github.guli.engine.approval;

import io.github.guli.engine.GuliException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time in which deploys and releases to an environment are refused (封网): a date range, or a weekly window, read in
 * the admin's time zone, so "Fri 18:00" is 18:00 on the wall clock whatever the daylight saving time.
 */
public final class FreezeWindow {
    public static final String FORMS = "a date range 'YYYY-MM-DD - YYYY-MM-DD' (whole days), 'YYYY-MM-DD HH:MM -"
            + " YYYY-MM-DD HH:MM', or a weekly window 'Fri 18:00 - Mon 08:00' (Mon Tue Wed Thu Fri Sat Sun), each"
            + " optionally named first: 'national day = 2026-10-01 - 2026-10-07'";
    private static final Pattern NAMED = Pattern.compile("^(?:([^=]+?)\\s*=\\s*)?(.+)$");
    private static final Pattern DATES = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})(?:\\s+(\\d{1,2}:\\d{2}))?\\s+-\\s+(\\d{4}-\\d{2}-\\d{2})(?:\\s+(\\d{1,2}:\\d{2}))?");
    private static final Pattern WEEKLY =
            Pattern.compile("([A-Za-z]{3})\\s+(\\d{1,2}:\\d{2})\\s+-\\s+([A-Za-z]{3})\\s+(\\d{1,2}:\\d{2})");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private final String name;
    private final ZoneId zone;
    private final LocalDateTime from;
    private final LocalDateTime until;
    private final DayOfWeek fromDay;
    private final DayOfWeek untilDay;
    private final LocalTime fromTime;
    private final LocalTime untilTime;

    private FreezeWindow(String name, ZoneId zone, LocalDateTime from, LocalDateTime until) {
        this(name, zone, from, until, null, null, null, null);
    }

    private FreezeWindow(
            String name,
            ZoneId zone,
            LocalDateTime from,
            LocalDateTime until,
            DayOfWeek fromDay,
            LocalTime fromTime,
            DayOfWeek untilDay,
            LocalTime untilTime) {
        this.name = name;
        this.zone = zone;
        this.from = from;
        this.until = until;
        this.fromDay = fromDay;
        this.fromTime = fromTime;
        this.untilDay = untilDay;
        this.untilTime = untilTime;
    }

    /** The window an entry describes; a bad entry is an error naming it and the accepted forms. */
    public static FreezeWindow parse(String entry, ZoneId zone) {
        String e = entry == null ? "" : entry.trim();
        Matcher named = NAMED.matcher(e);
        if (e.isEmpty() || !named.matches()) {
            throw bad(entry, "it is empty");
        }
        String range = named.group(2).trim();
        String name = named.group(1) == null ? range : named.group(1);
        try {
            Matcher d = DATES.matcher(range);
            if (d.matches()) {
                LocalDateTime from = LocalDate.parse(d.group(1))
                        .atTime(d.group(2) == null ? LocalTime.MIDNIGHT : LocalTime.parse(d.group(2), TIME));
                LocalDateTime until = d.group(4) == null
                        ? LocalDate.parse(d.group(3)).plusDays(1).atStartOfDay()
                        : LocalDate.parse(d.group(3)).atTime(LocalTime.parse(d.group(4), TIME));
                if (!until.isAfter(from)) {
                    throw bad(entry, "it ends before it starts");
                }
                return new FreezeWindow(name, zone, from, until);
            }
            Matcher w = WEEKLY.matcher(range);
            if (w.matches()) {
                return new FreezeWindow(
                        name,
                        zone,
                        null,
                        null,
                        day(entry, w.group(1)),
                        LocalTime.parse(w.group(2), TIME),
                        day(entry, w.group(3)),
                        LocalTime.parse(w.group(4), TIME));
            }
        } catch (DateTimeParseException ex) {
            throw bad(entry, "'" + ex.getParsedString() + "' is not a real date or time");
        }
        throw bad(entry, "it is none of the forms");
    }

    /** Every entry, each a window; the first bad one is an error naming it. */
    public static List<FreezeWindow> parseAll(List<String> entries, ZoneId zone) {
        List<FreezeWindow> windows = new ArrayList<>();
        for (String e : entries) {
            if (e != null && !e.isBlank()) {
                windows.add(parse(e, zone));
            }
        }
        return windows;
    }

    private static GuliException bad(String entry, String why) {
        return new GuliException("freeze window '" + entry + "' cannot be read (" + why + "): write " + FORMS);
    }

    private static DayOfWeek day(String entry, String abbreviation) {
        int i = DAYS.indexOf(abbreviation.toLowerCase(Locale.ROOT));
        if (i < 0) {
            throw bad(entry, "'" + abbreviation + "' is not a day");
        }
        return DayOfWeek.of(i + 1);
    }

    public String name() {
        return name;
    }

    /** When this window, active at {@code now}, ends; empty when it is not active then. */
    public Optional<Instant> endOfActive(Instant now) {
        if (from != null) {
            Instant start = from.atZone(zone).toInstant();
            Instant end = until.atZone(zone).toInstant();
            return !now.isBefore(start) && now.isBefore(end) ? Optional.of(end) : Optional.empty();
        }
        ZonedDateTime here = now.atZone(zone);
        ZonedDateTime start = at(here.toLocalDate().with(TemporalAdjusters.previousOrSame(fromDay)), fromTime);
        if (start.isAfter(here)) {
            start = at(start.toLocalDate().minusWeeks(1), fromTime);
        }
        ZonedDateTime end = at(start.toLocalDate().with(TemporalAdjusters.nextOrSame(untilDay)), untilTime);
        if (!end.isAfter(start)) {
            end = at(end.toLocalDate().plusWeeks(1), untilTime);
        }
        return here.isBefore(end) ? Optional.of(end.toInstant()) : Optional.empty();
    }

    private ZonedDateTime at(LocalDate date, LocalTime time) {
        return date.atTime(time).atZone(zone);
    }

    /** The freeze at {@code now}: the first active window and when deploys are allowed again (windows that follow on
     * from one another taken together); empty when none is active. */
    public static Optional<Freeze> active(List<FreezeWindow> windows, Instant now) {
        FreezeWindow first = null;
        Instant until = now;
        for (int round = 0; round < 100; round++) {
            Instant next = until;
            FreezeWindow hit = null;
            for (FreezeWindow w : windows) {
                Optional<Instant> end = w.endOfActive(until);
                if (end.isPresent() && end.get().isAfter(next)) {
                    next = end.get();
                    hit = w;
                }
            }
            if (hit == null) {
                break;
            }
            first = first == null ? hit : first;
            until = next;
        }
        return first == null ? Optional.empty() : Optional.of(new Freeze(first, until, first.zone));
    }

    /** An active freeze: its window, and when it ends. */
    public record Freeze(FreezeWindow window, Instant endsAt, ZoneId zone) {
        /** "deploys to prod are frozen by 'national day' until 2026-10-08 00:00 Asia/Shanghai (...Z)". */
        public String message(String environment) {
            String local = endsAt.atZone(zone).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
            return "deploys and releases to " + environment + " are frozen by the window '" + window.name()
                    + "' until " + local + " " + zone.getId() + " (" + endsAt + "); try again then, or ask an"
                    + " admin to override the freeze with a reason";
        }
    }
}
