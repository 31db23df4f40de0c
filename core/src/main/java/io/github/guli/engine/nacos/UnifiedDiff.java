package io.github.guli.engine.nacos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff of two texts by lines (Myers' algorithm), with three lines of context, as {@code diff -u} prints
 * it. Past {@link #MAX_EDITS} differing lines it stops looking for common lines and shows the whole text replaced.
 */
final class UnifiedDiff {
    static final int CONTEXT = 3;
    static final int MAX_EDITS = 2000;

    /** One line of the script: its text as shown, from the old text ({@code '-'}, {@code ' '}) or the new. */
    private record Line(char op, String text) {}

    private UnifiedDiff() {}

    /** The diff, headed {@code --- from} and {@code +++ to}; "" when the texts are equal. */
    static String of(String from, String to, String oldText, String newText) {
        return of(from, to, oldText, newText, oldText, newText);
    }

    /**
     * The diff of the texts, showing each line as {@code oldShown} and {@code newShown} have it (the same lines,
     * masked): a line whose hidden part changed still shows as removed and added.
     */
    static String of(String from, String to, String oldText, String newText, String oldShown, String newShown) {
        List<String> a = lines(oldText);
        List<String> b = lines(newText);
        List<String> shownA = lines(oldShown);
        List<String> shownB = lines(newShown);
        if (shownA.size() != a.size() || shownB.size() != b.size()) {
            a = shownA;
            b = shownB;
        }
        List<Line> script = script(a, b, shownA, shownB);
        if (script.stream().allMatch(l -> l.op() == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder("--- " + from + "\n+++ " + to + "\n");
        int i = 0;
        int oldLine = 1;
        int newLine = 1;
        while (i < script.size()) {
            if (script.get(i).op() == ' ') {
                i++;
                oldLine++;
                newLine++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int quiet = 0;
            while (end < script.size() && quiet <= 2 * CONTEXT) {
                quiet = script.get(end).op() == ' ' ? quiet + 1 : 0;
                end++;
            }
            end -= Math.max(0, quiet - CONTEXT);
            int back = i - start;
            int hunkOld = oldLine - back;
            int hunkNew = newLine - back;
            int oldCount = 0;
            int newCount = 0;
            StringBuilder body = new StringBuilder();
            for (int j = start; j < end; j++) {
                Line l = script.get(j);
                body.append(l.op()).append(l.text()).append('\n');
                oldCount += l.op() == '+' ? 0 : 1;
                newCount += l.op() == '-' ? 0 : 1;
            }
            out.append("@@ -")
                    .append(range(hunkOld, oldCount))
                    .append(" +")
                    .append(range(hunkNew, newCount))
                    .append(" @@\n")
                    .append(body);
            for (int j = i; j < end; j++) {
                char op = script.get(j).op();
                oldLine += op == '+' ? 0 : 1;
                newLine += op == '-' ? 0 : 1;
            }
            i = end;
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        return count == 0 ? (start - 1) + ",0" : count == 1 ? Integer.toString(start) : start + "," + count;
    }

    private static List<String> lines(String text) {
        List<String> l = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }

    /** The edit script: each line of both texts, kept ({@code ' '}), removed ({@code '-'}) or added ({@code '+'}). */
    private static List<Line> script(List<String> a, List<String> b, List<String> shownA, List<String> shownB) {
        int n = a.size();
        int m = b.size();
        int max = Math.min(n + m, MAX_EDITS);
        int off = max + 1;
        int[] v = new int[2 * max + 3];
        List<int[]> trace = new ArrayList<>();
        for (int d = 0; d <= max; d++) {
            trace.add(Arrays.copyOfRange(v, off - d - 1, off + d + 2));
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || k != d && v[off + k - 1] < v[off + k + 1] ? v[off + k + 1] : v[off + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[off + k] = x;
                if (x >= n && y >= m) {
                    return backtrack(a, b, trace, shownA, shownB);
                }
            }
        }
        List<Line> replaced = new ArrayList<>();
        shownA.forEach(l -> replaced.add(new Line('-', l)));
        shownB.forEach(l -> replaced.add(new Line('+', l)));
        return replaced;
    }

    private static List<Line> backtrack(
            List<String> a, List<String> b, List<int[]> trace, List<String> shownA, List<String> shownB) {
        List<Line> reversed = new ArrayList<>();
        int x = a.size();
        int y = b.size();
        for (int d = trace.size() - 1; d > 0; d--) {
            int[] v = trace.get(d); // v before step d: index k is v[k + d + 1]
            int k = x - y;
            int prevK = k == -d || k != d && v[k - 1 + d + 1] < v[k + 1 + d + 1] ? k + 1 : k - 1;
            int prevX = v[prevK + d + 1];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                reversed.add(new Line(' ', shownA.get(--x)));
                y--;
            }
            if (x == prevX) {
                reversed.add(new Line('+', shownB.get(--y)));
            } else {
                reversed.add(new Line('-', shownA.get(--x)));
            }
        }
        while (x > 0 && y > 0) {
            reversed.add(new Line(' ', shownA.get(--x)));
            y--;
        }
        List<Line> script = new ArrayList<>();
        for (int i = reversed.size() - 1; i >= 0; i--) {
            script.add(reversed.get(i));
        }
        return script;
    }
}
