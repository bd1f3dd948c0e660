package dev.robustsynth.service.jobs;

/** Why a job is refused (job-status.v1 {@code error.code}); nothing of a refused job is started. */
public enum JobCode {
    JOB_MALFORMED, JOB_NO_ITEMS, JOB_TOO_MANY_ITEMS, JOB_INVALID_ITEM, JOB_FILE_OUTSIDE_ROOTS, JOB_ID_IN_USE,
    JOB_UNKNOWN_TYPE, JOB_UNKNOWN_MODEL
}
