package io.github.guli.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FreezeWindowTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static Optional<FreezeWindow.Freeze> at(List<String> entries, ZoneId zone, String instant) {
        return FreezeWindow.active(FreezeWindow.parseAll(entries, zone), Instant.parse(instant));
    }

    @Test
    void aWeeklyWindowSpansTheWeekEnd() {
        List<String> weekend = List.of("Fri 18:00 - Mon 08:00");
        // 2026-12-11 is a Friday; 18:00 in Shanghai is 10:00 UTC
        assertThat(at(weekend, SHANGHAI, "2026-12-11T09:59:59Z")).isEmpty();
        FreezeWindow.Freeze f = at(weekend, SHANGHAI, "2026-12-11T10:00:00Z").orElseThrow();
        assertThat(f.endsAt()).isEqualTo(Instant.parse("2026-12-14T00:00:00Z"));
        assertThat(f.message("prod"))
                .isEqualTo("deploys and releases to prod are frozen by the window 'Fri 18:00 - Mon 08:00' until"
                        + " 2026-12-14 08:00 Asia/Shanghai (2026-12-14T00:00:00Z); try again then, or ask an admin to"
                        + " override the freeze with a reason");
        assertThat(at(weekend, SHANGHAI, "2026-12-13T23:59:59Z")).isPresent();
        assertThat(at(weekend, SHANGHAI, "2026-12-14T00:00:00Z")).isEmpty();
        assertThat(at(weekend, SHANGHAI, "2026-12-16T04:00:00Z")).isEmpty();
    }

    @Test
    void aNightlyWindowSpansMidnight() {
        List<String> nights = List.of("Wed 22:00 - Thu 06:00");
        assertThat(at(nights, SHANGHAI, "2026-12-09T15:30:00Z").orElseThrow().endsAt())
                .isEqualTo(Instant.parse("2026-12-09T22:00:00Z"));
        assertThat(at(nights, SHANGHAI, "2026-12-09T13:59:00Z")).isEmpty();
    }

    @Test
    void aDateRangeCoversWholeDaysAndWindowsThatFollowOnAreTakenTogether() {
        List<String> holidays =
                List.of("national day = 2026-10-01 - 2026-10-07", "2026-10-08 00:00 - 2026-10-08 12:00");
        FreezeWindow.Freeze f = at(holidays, SHANGHAI, "2026-10-07T15:00:00Z").orElseThrow();
        assertThat(f.window().name()).isEqualTo("national day");
        assertThat(f.endsAt()).isEqualTo(Instant.parse("2026-10-08T04:00:00Z"));
        assertThat(at(holidays, SHANGHAI, "2026-09-30T15:59:59Z")).isEmpty();
        assertThat(at(holidays, SHANGHAI, "2026-09-30T16:00:00Z")).isPresent();
    }

    @Test
    void theWallClockIsKeptAcrossDaylightSavingTime() {
        // Berlin moves from 02:00 CET to 03:00 CEST on 2026-03-29 (a Sunday): the window is five hours long
        List<String> night = List.of("Sat 22:00 - Sun 04:00");
        assertThat(at(night, BERLIN, "2026-03-28T20:59:00Z")).isEmpty();
        FreezeWindow.Freeze f = at(night, BERLIN, "2026-03-28T21:00:00Z").orElseThrow();
        assertThat(f.endsAt()).isEqualTo(Instant.parse("2026-03-29T02:00:00Z"));
        assertThat(at(night, BERLIN, "2026-03-29T01:59:00Z")).isPresent();
        assertThat(at(night, BERLIN, "2026-03-29T02:00:00Z")).isEmpty();
        // and back on 2026-10-25: seven hours
        assertThat(at(night, BERLIN, "2026-10-24T20:00:00Z").orElseThrow().endsAt())
                .isEqualTo(Instant.parse("2026-10-25T03:00:00Z"));
    }

    @Test
    void aBadEntryIsNamedWithTheAcceptedForms() {
        for (String bad : List.of(
                "Fri 18:00 to Mon 08:00",
                "Fry 18:00 - Mon 08:00",
                "2026-02-30 - 2026-03-01",
                "2026-10-07 - 2026-10-01",
                "Fri 25:00 - Mon 08:00")) {
            assertThatThrownBy(() -> FreezeWindow.parse(bad, SHANGHAI))
                    .isInstanceOf(GuliException.class)
                    .hasMessageStartingWith("freeze window '" + bad + "' cannot be read (")
                    .hasMessageContaining("'Fri 18:00 - Mon 08:00'")
                    .hasMessageContaining("'YYYY-MM-DD - YYYY-MM-DD'");
        }
    }
}
