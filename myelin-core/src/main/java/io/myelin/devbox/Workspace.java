package io.myelin.devbox;

import java.nio.file.Path;

/**
 * A devbox's working directory: its agents' home and where its commands run.
 *
 * @param devboxId  the devbox it belongs to
 * @param directory where it is (exists while the devbox does)
 * @param created   true when {@link DevboxHost#prepare} created it just now (blueprint setup runs then)
 */
public record Workspace(String devboxId, Path directory, boolean created) {}
