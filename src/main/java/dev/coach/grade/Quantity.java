package dev.coach.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number with its unit as written in text ("4 GiB", "128k tokens", "~1.3x", "3.35 TB/s"), normalised to a
 * base unit per family so that "4 GiB" and "4.3 GB" compare as the same size.
 */
public record Quantity(double value, Family family, String unit, String text, int start, int end) {

    /** Unit families; values compare only within one family. */
    public enum Family { BYTES, BANDWIDTH, PERCENT, RATIO, TIME, FLOPS, COUNT }

    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\w.])(\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?)(?:\\s*[-–]\\s*(\\d+(?:\\.\\d+)?))?\\s*"
                    + "(?:(k|K|M|B|T|bn|billion|million|thousand|trillion)(?![a-zA-Z]))?\\s*"
                    + "(%|percent|x(?![a-z])|×|TiB/s|TB/s|GB/s|GiB/s|TiB|TB|GiB|GB|MiB|MB|KiB|KB|kB|bytes?|B(?![a-z])|bits?"
                    + "|tokens?|params?|parameters|ms|milliseconds?|seconds?|s(?![a-z])|TFLOPs?|PFLOPs?|FLOPs?"
                    + "|layers?|heads?|dims?|dimensions?|experts?|GPUs?)?");

    public static List<Quantity> parse(String text) {
        List<Quantity> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            String digits = m.group(1).replace(",", "");
            double v;
            try {
                v = Double.parseDouble(digits);
            } catch (NumberFormatException e) {
                continue;
            }
            String mult = m.group(3);
            String unit = m.group(4) == null ? "" : m.group(4);
            if ("B".equals(mult) && m.group().substring(m.group(1).length()).startsWith(" ") && (m.group(2) == null)) {
                // "2 B" with a space is two bytes; "8B" written solid is eight billion
                mult = null;
                unit = unit.isEmpty() ? "B" : unit;
            }
            if ("B".equals(mult) && unit.isEmpty()) {
                // "8B" alone is eight billion (parameters), not eight bytes
                unit = "params";
            }
            v *= multiplier(mult);
            Family f = family(unit);
            v *= scale(unit);
            out.add(new Quantity(v, f, unit.toLowerCase(Locale.ROOT), m.group().strip(), m.start(), m.end()));
        }
        return out;
    }

    /** True when the two are the same family and differ by at most {@code tolerance} relative to the larger. */
    public boolean near(Quantity other, double tolerance) {
        if (family != other.family) {
            return false;
        }
        double a = Math.abs(value);
        double b = Math.abs(other.value);
        double big = Math.max(a, b);
        return big == 0 || Math.abs(a - b) / big <= tolerance;
    }

    /** A unit-bearing quantity is specific enough to be called wrong; bare counts are not. */
    public boolean checkable() {
        return family != Family.COUNT || !unit.isEmpty() || value >= 1000;
    }

    private static double multiplier(String m) {
        if (m == null) {
            return 1;
        }
        return switch (m) {
            case "k", "K", "thousand" -> 1e3;
            case "M", "million" -> 1e6;
            case "B", "bn", "billion" -> 1e9;
            case "T", "trillion" -> 1e12;
            default -> 1;
        };
    }

    private static Family family(String unit) {
        String u = unit.toLowerCase(Locale.ROOT);
        if (u.endsWith("/s")) {
            return Family.BANDWIDTH;
        }
        if (u.equals("%") || u.equals("percent")) {
            return Family.PERCENT;
        }
        if (u.equals("x") || u.equals("×")) {
            return Family.RATIO;
        }
        if (u.matches("tib|tb|gib|gb|mib|mb|kib|kb|bytes?|b|bits?")) {
            return Family.BYTES;
        }
        if (u.matches("ms|milliseconds?|seconds?|s")) {
            return Family.TIME;
        }
        if (u.contains("flop")) {
            return Family.FLOPS;
        }
        return Family.COUNT;
    }

    private static double scale(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "tib", "tib/s" -> 1024.0 * 1024 * 1024 * 1024;
            case "tb", "tb/s" -> 1e12;
            case "gib", "gib/s" -> 1024.0 * 1024 * 1024;
            case "gb", "gb/s" -> 1e9;
            case "mib" -> 1024.0 * 1024;
            case "mb" -> 1e6;
            case "kib" -> 1024;
            case "kb" -> 1e3;
            case "bit", "bits" -> 0.125;
            case "ms", "millisecond", "milliseconds" -> 1e-3;
            case "tflop", "tflops" -> 1e12;
            case "pflop", "pflops" -> 1e15;
            default -> 1;
        };
    }
}
