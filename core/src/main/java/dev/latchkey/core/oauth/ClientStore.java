package dev.latchkey.core.oauth;

import java.util.List;
import java.util.Optional;

/** Storage port for OAuth clients. */
public interface ClientStore {
    /** Inserts; false when the client id is taken. */
    boolean create(Client client);

    Optional<Client> find(String clientId);

    List<Client> list();

    /** Replaces a client's registration; false when it does not exist. */
    boolean update(Client client);

    boolean delete(String clientId);
}
