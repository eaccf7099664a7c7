package dev.coach.grade;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AgreementTest {
    @Test
    void perfectAgreementIsKappaOne() {
        Agreement a = Agreement.of(List.of(0, 1, 2, 2), List.of(0, 1, 2, 2));
        assertEquals(1.0, a.kappa(), 1e-12);
        assertEquals(1.0, a.exact(), 1e-12);
    }

    @Test
    void matchesAnIndependentComputation() {
        // value computed separately from the textbook formula (1 - sum w*O / sum w*E)
        Agreement a = Agreement.of(List.of(0, 0, 1, 1, 2, 2, 2, 1), List.of(0, 1, 1, 2, 2, 2, 1, 1));
        assertEquals(0.6470588235294117, a.kappa(), 1e-12);
        assertEquals(0.625, a.exact(), 1e-12);
        assertArrayEquals(new int[] {1, 1, 0}, a.confusion()[0]);
        assertArrayEquals(new int[] {0, 2, 1}, a.confusion()[1]);
        assertArrayEquals(new int[] {0, 1, 2}, a.confusion()[2]);
    }

    @Test
    void completeReversalIsKappaMinusOne() {
        assertEquals(-1.0, Agreement.of(List.of(0, 1, 2, 0, 1, 2), List.of(2, 1, 0, 2, 1, 0)).kappa(), 1e-9);
    }

    @Test
    void farMissesCostMoreThanNearMisses() {
        double near = Agreement.of(List.of(0, 1, 2, 2, 1, 0), List.of(0, 1, 1, 2, 1, 0)).kappa();
        double far = Agreement.of(List.of(0, 1, 2, 2, 1, 0), List.of(0, 1, 0, 2, 1, 0)).kappa();
        assertEquals(true, near > far, near + " vs " + far);
    }
}
