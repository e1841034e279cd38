// libedit's readline-compatible API: line editing and history in an interactive terminal.
#include <stdio.h>
#include <editline/readline.h>
