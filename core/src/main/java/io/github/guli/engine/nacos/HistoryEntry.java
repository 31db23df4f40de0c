package io.github.guli.engine.nacos;

/**
 * One line of a configuration's history in Nacos ({@code /v1/cs/history?search=accurate}): its id, the operation
 * ({@code I} insert, {@code U} update, {@code D} delete; an update's line holds the content it replaced) and when.
 */
public record HistoryEntry(long id, String opType, long lastModifiedMillis) {}
