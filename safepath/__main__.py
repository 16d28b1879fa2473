from safepath.cli import main

main()
