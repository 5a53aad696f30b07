-- Method configuration: default semáforo thresholds (one place; rows per indicator override).
INSERT OR IGNORE INTO semaforo_thresholds VALUES ('*', 0.9, 0.7, 0.1);
