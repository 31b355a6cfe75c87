package io.myelin.client.journal;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on {@link Journal#sqlite}: two handles on one file, as two processes would open it. */
class SqliteJournalTest extends JournalContract {
    @TempDir
    Path dir;

    @Override
    Journal open() {
        return Journal.sqlite(dir.resolve("journal.db"));
    }

    @Override
    Journal openAnother() {
        return Journal.sqlite(dir.resolve("journal.db"));
    }
}
