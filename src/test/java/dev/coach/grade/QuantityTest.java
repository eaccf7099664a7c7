package dev.coach.grade;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantityTest {
    static Quantity one(String text) {
        List<Quantity> qs = Quantity.parse(text);
        assertEquals(1, qs.size(), () -> text + " -> " + qs);
        return qs.getFirst();
    }

    @Test
    void bytesInBinaryAndDecimalUnitsCompare() {
        Quantity gib = one("4 GiB");
        Quantity gb = one("about 4.3 GB");
        assertEquals(Quantity.Family.BYTES, gib.family());
        assertTrue(gib.near(gb, 0.12), "4 GiB is 4.29 GB");
        assertFalse(gib.near(one("8 GB"), 0.3));
        assertEquals(131072, one("128 KiB").value(), 0.5);
    }

    @Test
    void multipliersAndCommasAreRead() {
        assertEquals(32768, one("32,768 tokens").value());
        assertEquals(128000, one("128k tokens").value());
        assertEquals(8e9, one("an 8B model").value());
        assertEquals(Quantity.Family.COUNT, one("an 8B model").family());
        assertEquals(1.5e12, one("1.5 trillion").value(), 1);
    }

    @Test
    void percentRatioTimeAndBandwidth() {
        assertEquals(Quantity.Family.PERCENT, one("about 20%").family());
        assertEquals(Quantity.Family.RATIO, one("a 4x saving").family());
        assertEquals(0.05, one("50 ms").value(), 1e-9);
        Quantity bw = one("3.35 TB/s");
        assertEquals(Quantity.Family.BANDWIDTH, bw.family());
        assertEquals(3.35e12, bw.value(), 1e6);
    }

    @Test
    void aSpacedBIsBytesASolidBIsBillions() {
        Quantity bytes = one("2 B");
        assertEquals(Quantity.Family.BYTES, bytes.family());
        assertEquals(2, bytes.value());
        assertEquals(7e9, one("a 7B model").value());
    }

    @Test
    void differentFamiliesNeverMatch() {
        assertFalse(one("4 GB").near(one("4%"), 0.5));
    }

    @Test
    void bareSmallNumbersAreNotCheckable() {
        assertFalse(one("it has 8 of them").checkable());
        assertTrue(one("uses 8 GB").checkable());
    }
}
