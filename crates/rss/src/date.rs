//! Dates of papers and feeds: a moment in whole seconds since the Unix
//! epoch, written as RFC 822 (RSS) or RFC 3339 (Atom), always in UTC.

use paper_model::Paper;

const DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SECONDS_PER_DAY: i64 = 86_400;

/// A moment in UTC, in seconds since 1970-01-01T00:00:00Z, between the
/// years 1 and 9999 (the years both date formats can write).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Moment(i64);

/// The parts of a moment on the calendar.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
    second: i64,
    /// 0 is Sunday.
    weekday: usize,
}

impl Moment {
    /// The moment of a Unix timestamp, or `None` outside the years 1 to 9999.
    pub(crate) fn from_timestamp(seconds: i64) -> Option<Self> {
        let first = days_from_civil(1, 1, 1) * SECONDS_PER_DAY;
        let last = (days_from_civil(9999, 12, 31) + 1) * SECONDS_PER_DAY - 1;
        (first..=last).contains(&seconds).then_some(Moment(seconds))
    }

    /// Midnight UTC on the paper's date. A year alone means 1 January and
    /// a year and month the first of that month; a month or day that does
    /// not exist is ignored the same way. `None` without a usable year.
    pub(crate) fn of_paper(paper: &Paper) -> Option<Self> {
        let year = i64::from(paper.year?);
        if !(1..=9999).contains(&year) {
            return None;
        }
        let month = paper.month.map(u32::from).filter(|m| (1..=12).contains(m));
        let day = match month {
            Some(m) => paper
                .day
                .map(u32::from)
                .filter(|d| (1..=days_in_month(year, m)).contains(d))
                .unwrap_or(1),
            None => 1,
        };
        Some(Moment(
            days_from_civil(year, month.unwrap_or(1), day) * SECONDS_PER_DAY,
        ))
    }

    fn civil(self) -> Civil {
        let days = self.0.div_euclid(SECONDS_PER_DAY);
        let seconds = self.0.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: seconds / 3600,
            minute: seconds / 60 % 60,
            second: seconds % 60,
            // 1970-01-01 was a Thursday.
            weekday: usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0),
        }
    }

    /// RFC 822 as RSS 2.0 wants it, with a four-digit year, English names
    /// and a numeric zone: `Thu, 09 Oct 1986 00:00:00 +0000`.
    pub(crate) fn rfc822(self) -> String {
        let c = self.civil();
        let day_name = DAY_NAMES.get(c.weekday).copied().unwrap_or("Sun");
        let month_name = MONTH_NAMES
            .get(c.month as usize - 1)
            .copied()
            .unwrap_or("Jan");
        format!(
            "{day_name}, {:02} {month_name} {:04} {:02}:{:02}:{:02} +0000",
            c.day, c.year, c.hour, c.minute, c.second
        )
    }

    /// RFC 3339 in UTC as Atom wants it: `1986-10-09T00:00:00Z`.
    pub(crate) fn rfc3339(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
///
/// The year is counted from 1 March, so that the leap day ends it; an era
/// is the 400-year cycle of 146,097 days.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01: the inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both values are in range by construction (1..=31, 1..=12).
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(year: i32, month: Option<u8>, day: Option<u8>) -> Paper {
        let mut p = Paper::new("T", year);
        p.month = month;
        p.day = day;
        p
    }

    #[test]
    fn papers_dates_in_both_formats() {
        let m = Moment::of_paper(&paper(1986, Some(10), Some(9))).unwrap();
        assert_eq!(m.rfc822(), "Thu, 09 Oct 1986 00:00:00 +0000");
        assert_eq!(m.rfc3339(), "1986-10-09T00:00:00Z");
        let leap = Moment::of_paper(&paper(2020, Some(2), Some(29))).unwrap();
        assert_eq!(leap.rfc822(), "Sat, 29 Feb 2020 00:00:00 +0000");
    }

    #[test]
    fn a_year_alone_is_the_first_of_january() {
        let m = Moment::of_paper(&paper(1943, None, None)).unwrap();
        assert_eq!(m.rfc822(), "Fri, 01 Jan 1943 00:00:00 +0000");
        let m = Moment::of_paper(&paper(2016, Some(1), None)).unwrap();
        assert_eq!(m.rfc822(), "Fri, 01 Jan 2016 00:00:00 +0000");
        // A day without a month, or a day the month lacks, counts as the 1st.
        let m = Moment::of_paper(&paper(2023, Some(2), Some(29))).unwrap();
        assert_eq!(m.rfc3339(), "2023-02-01T00:00:00Z");
        let m = Moment::of_paper(&paper(2023, None, Some(5))).unwrap();
        assert_eq!(m.rfc3339(), "2023-01-01T00:00:00Z");
        let m = Moment::of_paper(&paper(2023, Some(13), Some(5))).unwrap();
        assert_eq!(m.rfc3339(), "2023-01-01T00:00:00Z");
    }

    #[test]
    fn unusable_years_have_no_date() {
        let mut p = paper(2000, None, None);
        p.year = None;
        assert_eq!(Moment::of_paper(&p), None);
        assert_eq!(Moment::of_paper(&paper(0, None, None)), None);
        assert_eq!(Moment::of_paper(&paper(10_000, None, None)), None);
        assert!(Moment::of_paper(&paper(1, None, None)).is_some());
        assert!(Moment::of_paper(&paper(9999, Some(12), Some(31))).is_some());
    }

    #[test]
    fn timestamps() {
        let m = Moment::from_timestamp(0).unwrap();
        assert_eq!(m.rfc822(), "Thu, 01 Jan 1970 00:00:00 +0000");
        let m = Moment::from_timestamp(1_700_000_000).unwrap();
        assert_eq!(m.rfc822(), "Tue, 14 Nov 2023 22:13:20 +0000");
        assert_eq!(m.rfc3339(), "2023-11-14T22:13:20Z");
        let m = Moment::from_timestamp(-1).unwrap();
        assert_eq!(m.rfc3339(), "1969-12-31T23:59:59Z");
        assert_eq!(Moment::from_timestamp(i64::MAX), None);
        assert_eq!(Moment::from_timestamp(i64::MIN), None);
        assert_eq!(
            Moment::from_timestamp(253_402_300_799).unwrap().rfc3339(),
            "9999-12-31T23:59:59Z"
        );
        assert_eq!(Moment::from_timestamp(253_402_300_800), None);
    }

    #[test]
    fn civil_round_trip_and_weekdays_over_four_centuries() {
        let start = days_from_civil(1900, 1, 1);
        for days in start..start + 146_097 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        // 1 January 1900 was a Monday, 1 January 2000 a Saturday.
        let monday = Moment(days_from_civil(1900, 1, 1) * SECONDS_PER_DAY);
        assert!(monday.rfc822().starts_with("Mon, 01 Jan 1900"));
        let saturday = Moment(days_from_civil(2000, 1, 1) * SECONDS_PER_DAY);
        assert!(saturday.rfc822().starts_with("Sat, 01 Jan 2000"));
    }
}
