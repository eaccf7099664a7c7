package dev.coach.bank.importer;

import java.util.List;

/**
 * One question as cut out of a document: its number in the source (or 0), its text, the line it starts on,
 * the lines of its body, and whether the document lacked a heading for it.
 */
record Block(int number, String question, int line, List<String> body, boolean headingMissing) {
}
