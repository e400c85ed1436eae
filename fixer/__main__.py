from fixer import main

main()
