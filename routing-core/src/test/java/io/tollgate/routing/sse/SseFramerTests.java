package io.tollgate.routing.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SseFramerTests {

	private static final String STREAM = "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
			+ ": a comment\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\n"
			+ "event: content_block_delta\ndata: {\"a\":1}\ndata: {\"b\":2}\n\n";

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 7, 1000 })
	void framesEventsWhateverTheChunking(int chunkSize) {
		List<SseFrame> frames = feedInChunks(STREAM.getBytes(StandardCharsets.UTF_8), chunkSize);
		assertThat(frames).extracting(SseFrame::event).containsExactly("message_start", "ping", "content_block_delta");
		assertThat(frames.get(2).data()).isEqualTo("{\"a\":1}\n{\"b\":2}");
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 5, 1000 })
	void acceptsCrlfAndCrLineEndings(int chunkSize) {
		String crlf = STREAM.replace("\n", "\r\n");
		String cr = STREAM.replace("\n", "\r");
		assertThat(feedInChunks(crlf.getBytes(StandardCharsets.UTF_8), chunkSize)).extracting(SseFrame::data)
			.containsExactly("{\"type\":\"message_start\"}", "{\"type\":\"ping\"}", "{\"a\":1}\n{\"b\":2}");
		assertThat(feedInChunks(cr.getBytes(StandardCharsets.UTF_8), chunkSize)).extracting(SseFrame::event)
			.containsExactly("message_start", "ping", "content_block_delta");
	}

	@Test
	void keepsTheOriginalBytesOfEachFrame() {
		String first = "event: a\ndata: {\"x\": 1}\n\n";
		List<SseFrame> frames = new SseFramer().feed((first + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
		assertThat(new String(frames.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo(first);
		assertThat(frames.get(1).event()).isNull();
		assertThat(frames.get(1).data()).isEqualTo("[DONE]");
	}

	@Test
	void keepsEventsWithoutDataAndDropsCommentOnlyOnes() {
		List<SseFrame> frames = new SseFramer()
			.feed(": keep-alive\n\nevent: ping\n\nevent:x\r\ndata\r\n\r\n".getBytes(StandardCharsets.UTF_8));
		assertThat(frames).extracting(SseFrame::event).containsExactly("ping", "x");
		assertThat(frames.get(0).data()).isNull();
		assertThat(frames.get(1).data()).isEmpty();
	}

	@Test
	void flushReturnsAnUnterminatedLastEvent() {
		SseFramer framer = new SseFramer();
		assertThat(framer.feed("data: {\"last\":true}".getBytes(StandardCharsets.UTF_8))).isEmpty();
		assertThat(framer.flush().data()).isEqualTo("{\"last\":true}");
		assertThat(framer.flush()).isNull();
	}

	@Test
	void keepsMultiByteCharactersWholeWhereverTheReadsEnd() {
		String data = "{\"content\":\"h\u00e9llo \u65e5\u672c \ud83d\ude42\"}";
		byte[] bytes = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
		for (int cut = 1; cut < bytes.length; cut++) {
			SseFramer framer = new SseFramer();
			List<SseFrame> frames = new ArrayList<>(framer.feed(Arrays.copyOfRange(bytes, 0, cut)));
			frames.addAll(framer.feed(Arrays.copyOfRange(bytes, cut, bytes.length)));
			assertThat(frames).as("cut at byte %d", cut)
				.singleElement()
				.satisfies((frame) -> assertThat(frame.data()).isEqualTo(data));
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 7, 1000 })
	void theDataBytesAreTheDataInUtf8WithoutDecodingIt(int chunkSize) {
		String stream = STREAM + "data:no space\ndata\ndata: h\u00e9llo \ud83d\ude42\n\n" + "event: e\n\n"
				+ "data: {\"last\":1}\n\n";
		for (String text : List.of(stream, stream.replace("\n", "\r\n"), stream.replace("\n", "\r"))) {
			byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
			List<SseFrame> undecoded = feedInChunks(bytes, chunkSize);
			List<SseFrame> decoded = feedInChunks(bytes, chunkSize);
			assertThat(undecoded).hasSize(6);
			for (int i = 0; i < undecoded.size(); i++) {
				String data = decoded.get(i).data();
				byte[] expected = (data != null) ? data.getBytes(StandardCharsets.UTF_8) : null;
				assertThat(undecoded.get(i).dataBytes()).as("frame %d of %s", i, text).isEqualTo(expected);
				assertThat(decoded.get(i).dataBytes()).isEqualTo(expected);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 7, 1000 })
	void theFramesKeepEveryByteOfTheEventsWhateverTheChunking(int chunkSize) {
		byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
		StringBuilder joined = new StringBuilder();
		feedInChunks(bytes, chunkSize)
			.forEach((frame) -> joined.append(new String(frame.raw(), StandardCharsets.UTF_8)));
		assertThat(joined.toString()).isEqualTo(STREAM.replace(": a comment\n\n", ""));
	}

	private static List<SseFrame> feedInChunks(byte[] bytes, int chunkSize) {
		SseFramer framer = new SseFramer();
		List<SseFrame> frames = new ArrayList<>();
		for (int i = 0; i < bytes.length; i += chunkSize) {
			frames.addAll(framer.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunkSize))));
		}
		SseFrame last = framer.flush();
		if (last != null) {
			frames.add(last);
		}
		return frames;
	}

}
