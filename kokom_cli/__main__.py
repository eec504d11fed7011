from kokom_cli.cli.main import run

run()
