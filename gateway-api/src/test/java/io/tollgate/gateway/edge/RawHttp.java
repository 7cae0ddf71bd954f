package io.tollgate.gateway.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client that speaks HTTP/1.1 by hand over a plain socket, for what well-behaved
 * clients never send: oversized heads, odd versions, trickled bytes, bodies cut short.
 */
final class RawHttp implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private RawHttp(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
	}

	static RawHttp connect(int port) {
		return connect(port, null);
	}

	/**
	 * Connects from a given local address (any 127.x.y.z works on Linux loopback).
	 */
	static RawHttp connect(int port, String localAddress) {
		try {
			Socket socket = (localAddress != null)
					? new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(localAddress), 0)
					: new Socket(InetAddress.getLoopbackAddress(), port);
			socket.setSoTimeout(10_000);
			return new RawHttp(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	RawHttp send(String text) {
		return send(text.getBytes(StandardCharsets.ISO_8859_1));
	}

	RawHttp send(byte[] bytes) {
		try {
			this.socket.getOutputStream().write(bytes);
			this.socket.getOutputStream().flush();
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Reads one whole response (a {@code content-length} body). */
	Response read() {
		try {
			String statusLine = line();
			if (statusLine == null) {
				throw new IllegalStateException("The connection closed without a response");
			}
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			String header;
			while ((header = line()) != null && !header.isEmpty()) {
				int colon = header.indexOf(':');
				headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
						header.substring(colon + 1).trim());
			}
			int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
			byte[] body = this.in.readNBytes(length);
			return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads until the server closes the connection, for at most {@code within}.
	 * @return whether it closed in time
	 */
	boolean closedWithin(Duration within) {
		long deadline = System.nanoTime() + within.toNanos();
		try {
			while (System.nanoTime() < deadline) {
				this.socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
				try {
					if (this.in.read() < 0) {
						return true;
					}
				}
				catch (SocketTimeoutException ex) {
					return false;
				}
			}
			return false;
		}
		catch (IOException ex) {
			// reset by the server: closed as well
			return true;
		}
	}

	/**
	 * Sends {@code chunk} every {@code pause} while waiting for the server to answer, up
	 * to {@code within}; the pause is a read with a timeout, not a sleep.
	 * @return what the server sent before closing, or {@code null} when it kept the
	 * connection open all along
	 */
	byte[] trickleUntilClosed(String chunk, Duration pause, Duration within) {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		long deadline = System.nanoTime() + within.toNanos();
		try {
			this.socket.setSoTimeout((int) pause.toMillis());
			while (System.nanoTime() < deadline) {
				boolean sent = true;
				try {
					send(chunk);
				}
				catch (UncheckedIOException ex) {
					// closed by the server: what it answered may still be there to read
					sent = false;
				}
				try {
					byte[] buffer = new byte[4096];
					int read;
					while ((read = this.in.read(buffer)) > 0) {
						received.write(buffer, 0, read);
					}
					if (read < 0) {
						return received.toByteArray();
					}
				}
				catch (SocketTimeoutException ex) {
					// nothing yet: send the next chunk
					if (!sent) {
						return received.toByteArray();
					}
				}
			}
			return null;
		}
		catch (IOException ex) {
			// reset by the server after it answered
			return received.toByteArray();
		}
	}

	private String line() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) >= 0) {
			if (b == '\n') {
				String text = line.toString(StandardCharsets.ISO_8859_1);
				return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
			}
			line.write(b);
		}
		return (line.size() > 0) ? line.toString(StandardCharsets.ISO_8859_1) : null;
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing
		}
	}

	record Response(int status, Map<String, String> headers, String body) {

		String header(String name) {
			return this.headers.get(name);
		}

	}

}
