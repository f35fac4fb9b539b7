package org.rigdesk.daemon.store;

/** One schema step. Versions only grow; a released migration is never edited, only followed. */
public record Migration(int version, String name, String sql) {
}
