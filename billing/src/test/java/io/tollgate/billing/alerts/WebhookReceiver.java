package io.tollgate.billing.alerts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A local webhook receiver on a random port: records what it gets and answers with the
 * statuses it was told to, then 200.
 */
final class WebhookReceiver implements AutoCloseable {

	private final HttpServer server;

	private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();

	final List<Received> received = new CopyOnWriteArrayList<>();

	WebhookReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newFixedThreadPool(4));
		this.server.createContext("/hook", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
			Integer status = this.statuses.poll();
			int answer = (status != null) ? status : 200;
			this.received.add(new Received(headers, body, answer, System.nanoTime()));
			exchange.sendResponseHeaders(answer, -1);
			exchange.close();
		});
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook";
	}

	/** Answers the next requests with these statuses. */
	void failWith(Integer... statuses) {
		this.statuses.addAll(List.of(statuses));
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	record Received(Map<String, String> headers, byte[] body, int answeredWith, long atNanos) {

		String header(String name) {
			return this.headers.get(name);
		}

	}

}
