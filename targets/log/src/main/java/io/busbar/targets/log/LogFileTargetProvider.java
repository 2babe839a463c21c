package io.busbar.targets.log;

import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetEnvironment;
import io.busbar.core.spi.TargetProvider;
import io.busbar.core.spi.TargetSpec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Targets that append to log files: {@code arn:busbar:log:::<path>}, where everything after the fifth colon is
 * the file's path, absolute ({@code arn:busbar:log:::/var/log/orders.jsonl}) or relative to
 * {@value #DIRECTORY_PROPERTY} when that property is set, else to the working directory
 * ({@code arn:busbar:log:::logs/orders.jsonl}). Found by {@link java.util.ServiceLoader}. The {@code busbar}
 * partition keeps these ARNs clear of every AWS service's.
 *
 * <p>Each delivery's payload is appended as one JSON line: a JSON payload as written (line breaks turned into
 * spaces), any other payload as a JSON string. Deliveries that arrive together are written as one batch and
 * flushed once; a delivery is delivered when its line is flushed. The file is created if missing but its
 * directory is not: a file that cannot be opened fails deliveries for good ({@code NO_RESOURCE}, or
 * {@code NO_PERMISSIONS}), a write error after opening is retryable ({@code IO_ERROR}). Every target of one file
 * shares one writer thread, so lines never interleave; separate buses or processes writing one file are not
 * coordinated.
 *
 * <p>Configuration errors (an empty or invalid path, an invalid {@value #DIRECTORY_PROPERTY}) are rejected when
 * the target is created, naming the field; the bus then fails the deliveries with {@code INVALID_PARAMETER}.
 * Thread-safe.
 */
public final class LogFileTargetProvider implements TargetProvider {
    /** The directory that relative log paths are resolved against (default: the working directory). */
    public static final String DIRECTORY_PROPERTY = "busbar.log.directory";

    private static final String PREFIX = "arn:busbar:log:::";

    private final OpenLogFiles files = new OpenLogFiles();

    /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor on the class path. */
    public LogFileTargetProvider() {
    }

    /**
     * A log file target for a {@code arn:busbar:log:::<path>} ARN; empty for any other ARN. The file is opened
     * with the first delivery, not here.
     *
     * @throws IllegalArgumentException naming the field, when the path or the directory property is invalid
     */
    @Override
    public Optional<DeliveryTarget> create(TargetSpec spec, TargetEnvironment environment) {
        if (!spec.arn().startsWith(PREFIX)) {
            return Optional.empty();
        }
        Path path = resolve(spec.arn().substring(PREFIX.length()), environment.properties().get(DIRECTORY_PROPERTY),
                spec.arn());
        return Optional.of(new LogFileTarget(files.acquire(path), files));
    }

    private static Path resolve(String file, String directory, String arn) {
        String expected = " (expected: arn:busbar:log:::<path of a file>, absolute or relative)";
        if (file.isBlank() || file.endsWith("/") || file.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Arn: " + arn + expected);
        }
        Path base;
        try {
            base = directory == null ? Path.of("") : Path.of(directory);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(DIRECTORY_PROPERTY + ": " + directory + " (expected: a directory path)");
        }
        try {
            Path p = base.resolve(file).toAbsolutePath().normalize();
            if (p.getFileName() == null) {
                throw new IllegalArgumentException("Arn: " + arn + expected);
            }
            return p;
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("Arn: " + arn + expected);
        }
    }
}
