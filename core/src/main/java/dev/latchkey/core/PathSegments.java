package dev.latchkey.core;

/** Rules on the path of a same-site URL that the server and the gateway both apply to where they send a browser. */
public final class PathSegments {
    private PathSegments() {
    }

    /**
     * True when the path (before any {@code ?} or {@code #}) has a {@code .} or {@code ..} segment: a browser
     * removes them (RFC 3986 §5.2.4), so {@code /.//evil} becomes the path {@code //evil}, which a later relative
     * redirect on the site would send off it.
     */
    public static boolean hasDotSegment(String path) {
        int end = path.length();
        for (char stop : new char[] {'?', '#'}) {
            int i = path.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        for (String segment : path.substring(0, end).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
