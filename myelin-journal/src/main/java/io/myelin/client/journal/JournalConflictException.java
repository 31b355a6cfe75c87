package io.myelin.client.journal;

/**
 * A streamed step's attempt was superseded: another writer restarted (or forgot) the step while this attempt
 * streamed. Nothing of this attempt is recorded.
 */
public final class JournalConflictException extends JournalException {
    public JournalConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
