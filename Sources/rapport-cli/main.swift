import RapportTerminal

// The thin executable: the terminal front end lives in RapportTerminal, which rapport-server also
// runs when the store is a team store.
await RapportCommand.start()
