package io.tollgate.billing.usage.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.tollgate.billing.usage.UsageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of a single node: append-only files of JSON lines in the data directory. An
 * append is one {@code write} to the file: it is in the operating system's hands when the
 * response goes out, so it survives the process being killed (not a power cut; that would
 * take an {@code fsync} per request). A segment is emptied once everything in it is in
 * the database, and a new one is started when it grows past its bound.
 */
public final class FileUsageJournal implements UsageJournal {

	private static final Logger logger = LoggerFactory.getLogger(FileUsageJournal.class);

	private static final String SUFFIX = ".jsonl";

	private final Path directory;

	private final long segmentBytes;

	private final List<Path> leftOver;

	private final List<Segment> closed = new ArrayList<>();

	private Segment current;

	private long sequence;

	private int segments;

	/**
	 * Opens the journal in a directory, noting what earlier runs left there.
	 * @param directory the journal's directory, created if missing
	 * @param segmentBytes size after which a new segment file is started
	 */
	public FileUsageJournal(Path directory, long segmentBytes) {
		this.directory = directory;
		this.segmentBytes = segmentBytes;
		try {
			Files.createDirectories(directory);
			try (Stream<Path> files = Files.list(directory)) {
				this.leftOver = files.filter((file) -> file.getFileName().toString().endsWith(SUFFIX))
					.sorted()
					.toList();
			}
			this.current = open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the usage journal in " + directory, ex);
		}
	}

	@Override
	public synchronized Journaled append(UsageEvent event) {
		Journaled entry = new Journaled(event, ++this.sequence);
		byte[] line = JournalCodec.writeLine(event);
		try {
			ByteBuffer buffer = ByteBuffer.wrap(line);
			while (buffer.hasRemaining()) {
				this.current.channel.write(buffer);
			}
			this.current.last = entry.sequence();
			this.current.bytes += line.length;
			if (this.current.bytes >= this.segmentBytes) {
				this.closed.add(this.current);
				this.current.channel.close();
				this.current = open();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot append to the usage journal", ex);
		}
		return entry;
	}

	/**
	 * {@inheritDoc} Segments whose entries are all written are deleted; the one being
	 * appended to is replaced by a new one first. The lock appends take is held only to
	 * swap segments, never for the file system's work, which can take long on a busy
	 * disk.
	 */
	@Override
	public void committed(List<Journaled> batch) {
		if (batch.isEmpty()) {
			return;
		}
		long through = batch.get(batch.size() - 1).sequence();
		List<Segment> written = new ArrayList<>();
		synchronized (this) {
			var iterator = this.closed.iterator();
			while (iterator.hasNext()) {
				Segment segment = iterator.next();
				if (segment.last <= through) {
					written.add(segment);
					iterator.remove();
				}
			}
			if (this.current.bytes > 0 && this.current.last <= through) {
				try {
					Segment next = open();
					written.add(this.current);
					this.current = next;
				}
				catch (IOException ex) {
					logger.warn("Cannot start a new usage journal segment; written usage stays to be replayed: {}",
							ex.toString());
				}
			}
		}
		for (Segment segment : written) {
			try {
				segment.channel.close();
				Files.deleteIfExists(segment.path);
			}
			catch (IOException ex) {
				logger.warn("Cannot drop written usage from the journal; it will be replayed: {}", ex.toString());
			}
		}
	}

	/**
	 * {@inheritDoc} A line that cannot be read (cut short by a crash, or damaged) comes
	 * back as such, for the quarantine: it never stops the start.
	 */
	@Override
	public List<LeftOver> leftOver() {
		List<LeftOver> entries = new ArrayList<>();
		for (Path file : this.leftOver) {
			try {
				// decoded leniently: a damaged byte spoils its line, not the file
				for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
					if (!line.isBlank()) {
						entries.add(LeftOver.parse(line, null));
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read the usage journal " + file, ex);
			}
		}
		return entries;
	}

	@Override
	public void dropLeftOver() {
		for (Path file : this.leftOver) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot delete the replayed usage journal " + file, ex);
			}
		}
	}

	@Override
	public synchronized void close() {
		try {
			this.current.channel.close();
			if (this.current.bytes == 0) {
				Files.deleteIfExists(this.current.path);
			}
		}
		catch (IOException ex) {
			logger.warn("Cannot close the usage journal: {}", ex.toString());
		}
	}

	private Segment open() throws IOException {
		while (true) {
			Path path = this.directory
				.resolve("usage-%015d-%06d%s".formatted(System.currentTimeMillis(), ++this.segments, SUFFIX));
			try {
				return new Segment(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
						StandardOpenOption.READ));
			}
			catch (FileAlreadyExistsException ex) {
				// another journal opened on the directory in the same millisecond (a
				// restart, a tool reading what is left): take the next name
			}
		}
	}

	/** One journal file. */
	private static final class Segment {

		final Path path;

		final FileChannel channel;

		long last;

		long bytes;

		Segment(Path path, FileChannel channel) {
			this.path = path;
			this.channel = channel;
		}

	}

}
