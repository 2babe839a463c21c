package io.busbar.core;

/**
 * An archive's state, with the API's values. Busbar's archives are {@link #ENABLED} from creation to deletion: they
 * are created and updated synchronously, so they never pass through the intermediate or failed states, which exist
 * here because ListArchives filters by them.
 */
public enum ArchiveState {
    ENABLED,
    DISABLED,
    CREATING,
    UPDATING,
    CREATE_FAILED,
    UPDATE_FAILED
}
