// PLACEHOLDER: replaced before any commit.
int main() { return 1; }
