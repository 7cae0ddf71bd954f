package io.tollgate.admin.console;

import io.nayuki.qrcodegen.QrCode;

/**
 * QR codes drawn by Tollgate itself as inline SVG (no image service, nothing loaded from
 * elsewhere), for authenticator apps to scan an {@code otpauth://} URI.
 */
public final class QrCodes {

	/** The quiet zone around the code, in modules, as the standard asks. */
	private static final int BORDER = 4;

	private QrCodes() {
	}

	/** The text as an SVG QR code with medium error correction, one path of modules. */
	public static String svg(String text, String id) {
		QrCode code = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
		int size = code.size + BORDER * 2;
		StringBuilder path = new StringBuilder();
		for (int y = 0; y < code.size; y++) {
			for (int x = 0; x < code.size; x++) {
				if (code.getModule(x, y)) {
					path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
				}
			}
		}
		return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\" class=\"qr\" viewBox=\"0 0 " + size + " "
				+ size + "\" width=\"" + (size * 5) + "\" height=\"" + (size * 5)
				+ "\" role=\"img\" aria-label=\"QR code for the authenticator app\" shape-rendering=\"crispEdges\">"
				+ "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
	}

}
