package dev.coach.engine.chat;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;

/**
 * Python's {@code datetime.now().strftime(format)} in the C locale, which is what Hugging Face's
 * {@code strftime_now(format)} template function returns (Llama 3.x templates print today's date with
 * {@code "%d %b %Y"}). The time is naive local time, so {@code %Z} and {@code %z} print nothing, as in Python.
 */
final class PyTime {
    private PyTime() {
    }

    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"};

    static String strftime(String format, LocalDateTime t) {
        StringBuilder b = new StringBuilder();
        int n = format.length();
        for (int i = 0; i < n; i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= n) {
                b.append(c);
                continue;
            }
            char d = format.charAt(++i);
            boolean noPad = false;
            if (d == '-' && i + 1 < n) {
                noPad = true;
                d = format.charAt(++i);
            }
            String v = directive(d, t, noPad);
            if (v == null) {
                b.append('%');
                if (noPad) {
                    b.append('-');
                }
                b.append(d);
            } else {
                b.append(v);
            }
        }
        return b.toString();
    }

    private static String pad(int v, int width, boolean noPad) {
        String s = Integer.toString(v);
        return noPad || s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    private static String directive(char d, LocalDateTime t, boolean noPad) {
        int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        String dayName = DAYS[t.getDayOfWeek().getValue() - 1];
        String monthName = MONTHS[t.getMonthValue() - 1];
        return switch (d) {
            case 'a' -> dayName.substring(0, 3);
            case 'A' -> dayName;
            case 'b', 'h' -> monthName.substring(0, 3);
            case 'B' -> monthName;
            case 'c' -> dayName.substring(0, 3) + " " + monthName.substring(0, 3) + " " + (t.getDayOfMonth() < 10 ? " " : "")
                    + t.getDayOfMonth() + " " + pad(t.getHour(), 2, false) + ":" + pad(t.getMinute(), 2, false) + ":"
                    + pad(t.getSecond(), 2, false) + " " + t.getYear();
            case 'd' -> pad(t.getDayOfMonth(), 2, noPad);
            case 'e' -> noPad ? Integer.toString(t.getDayOfMonth()) : (t.getDayOfMonth() < 10 ? " " : "") + t.getDayOfMonth();
            case 'f' -> pad(t.getNano() / 1000, 6, noPad);
            case 'H' -> pad(t.getHour(), 2, noPad);
            case 'I' -> pad(hour12, 2, noPad);
            case 'j' -> pad(t.getDayOfYear(), 3, noPad);
            case 'm' -> pad(t.getMonthValue(), 2, noPad);
            case 'M' -> pad(t.getMinute(), 2, noPad);
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'S' -> pad(t.getSecond(), 2, noPad);
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'y' -> pad(t.getYear() % 100, 2, noPad);
            case 'Y' -> Integer.toString(t.getYear());
            case 'G' -> Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR));
            case 'V' -> pad(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, noPad);
            case 'U' -> pad(weekOfYear(t, DayOfWeek.SUNDAY), 2, noPad);
            case 'W' -> pad(weekOfYear(t, DayOfWeek.MONDAY), 2, noPad);
            case 'x' -> pad(t.getMonthValue(), 2, false) + "/" + pad(t.getDayOfMonth(), 2, false) + "/" + pad(t.getYear() % 100, 2, false);
            case 'X', 'T' -> pad(t.getHour(), 2, false) + ":" + pad(t.getMinute(), 2, false) + ":" + pad(t.getSecond(), 2, false);
            case 'D' -> pad(t.getMonthValue(), 2, false) + "/" + pad(t.getDayOfMonth(), 2, false) + "/" + pad(t.getYear() % 100, 2, false);
            case 'F' -> t.getYear() + "-" + pad(t.getMonthValue(), 2, false) + "-" + pad(t.getDayOfMonth(), 2, false);
            case 'R' -> pad(t.getHour(), 2, false) + ":" + pad(t.getMinute(), 2, false);
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'Z', 'z' -> "";
            case '%' -> "%";
            default -> null;
        };
    }

    /** Week number with weeks starting on {@code first}; days before the year's first such day are in week 0. */
    private static int weekOfYear(LocalDateTime t, DayOfWeek first) {
        int dayOfYear = t.get(ChronoField.DAY_OF_YEAR) - 1;
        int weekday = (t.getDayOfWeek().getValue() - first.getValue() + 7) % 7; // days since the week started
        return (dayOfYear - weekday + 7) / 7;
    }
}
