package dev.latchkey.server.pages;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code as inline SVG (one path of dark modules, a 4-module quiet zone, ISO/IEC 18004), rendered
 * on the server so the TOTP key URI never leaves it through a third-party service or a script.
 */
final class QrCodes {
    private static final int BORDER = 4;

    private QrCodes() {
    }

    static String svg(String text, String title) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + BORDER * 2;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"totp-qr\" role=\"img\" viewBox=\"0 0 " + size + " " + size
                + "\" width=\"220\" height=\"220\" shape-rendering=\"crispEdges\"><title>" + escape(title) + "</title>"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"" + path + "\" fill=\"#000\"/></svg>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
