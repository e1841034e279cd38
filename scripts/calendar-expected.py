#!/usr/bin/env python3
"""Computes the expected occurrences of the calendar corpus independently of rapport's reader.

For each Tests/RapportCoreTests/CalendarCorpus/NAME.ics it writes NAME.expected: every occurrence
that is not cancelled and starts inside the file's window, one per line, `UID<TAB>START<TAB>END`,
sorted by start and UID. Times are UTC (`2026-03-03T09:00:00Z`); all-day events are dates
(`2026-03-19`). Floating times are read in Europe/Stockholm, the zone the tests run in.

The occurrences come from the Python packages icalendar (parsing, VTIMEZONE and Windows zone
names) and recurring-ical-events (RRULE, RDATE, EXDATE and RECURRENCE-ID, on top of
dateutil.rrule and zoneinfo): another implementation than rapport's, written by other people.
Run it after changing the corpus, read the diff, and commit the .expected files:

    python3 -m venv /tmp/ical && /tmp/ical/bin/pip install icalendar recurring-ical-events
    /tmp/ical/bin/python scripts/calendar-expected.py
"""
import datetime
import os
import sys
import zoneinfo

import icalendar
import recurring_ical_events

HOME = zoneinfo.ZoneInfo("Europe/Stockholm")
UTC = datetime.timezone.utc
CORPUS = os.path.join(os.path.dirname(__file__), "..", "Tests", "RapportCoreTests", "CalendarCorpus")

# Each file's window: spring (the US change on 8 March and the European one on 29 March 2026),
# autumn (25 October and 1 November 2026), and the RFC's own years.
WINDOWS = {
    "google": ("2026-03-02T00:00:00Z", "2026-04-13T00:00:00Z"),
    "apple": ("2026-03-02T00:00:00Z", "2026-04-13T00:00:00Z"),
    "outlook": ("2026-10-12T00:00:00Z", "2026-11-16T00:00:00Z"),
    "nextcloud": ("2026-10-12T00:00:00Z", "2026-11-16T00:00:00Z"),
    "rfc5545": ("1997-01-01T00:00:00Z", "2001-01-01T00:00:00Z"),
}


def moment(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def shown(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=HOME)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def main():
    for name, (start, end) in sorted(WINDOWS.items()):
        path = os.path.join(CORPUS, name + ".ics")
        with open(path, "rb") as handle:
            calendar = icalendar.Calendar.from_ical(handle.read())
        begin, finish = moment(start), moment(end)
        # A day's margin each side, then exactly the starts inside the window.
        found = recurring_ical_events.of(calendar).between(begin - datetime.timedelta(days=2), finish + datetime.timedelta(days=2))
        lines = set()
        for event in found:
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            first = event["DTSTART"].dt
            last = event["DTEND"].dt if "DTEND" in event else first
            if isinstance(first, datetime.datetime):
                at = first if first.tzinfo else first.replace(tzinfo=HOME)
                if not (begin <= at < finish):
                    continue
            else:
                midnight = datetime.datetime.combine(first, datetime.time(), HOME)
                if not (begin <= midnight < finish):
                    continue
            lines.add((shown(first), str(event["UID"]), shown(last)))
        with open(os.path.join(CORPUS, name + ".expected"), "w") as out:
            out.write(f"# {name}.ics: occurrences starting in [{start}, {end}), not cancelled; made by scripts/calendar-expected.py\n")
            out.write(f"# (icalendar {icalendar.__version__}, recurring-ical-events, dateutil, zoneinfo). UID, start, end; UTC or dates.\n")
            for first, uid, last in sorted(lines):
                out.write(f"{uid}\t{first}\t{last}\n")
        print(f"{name}: {len(lines)} occurrences", file=sys.stderr)


if __name__ == "__main__":
    main()
