"""WSGI entry point and ``flask --app wsgi`` target."""
from app import create_app

app = create_app()
