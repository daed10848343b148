/* The program the kernel tests run from the signed ext4 disk: static, so it
 * needs nothing from the disk but itself. */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("hello from %s\n", argc > 0 ? argv[0] : "?");
    return 0;
}
