"""Text the demo data answers with (app/demo/data.py), shared by the text types."""

SAMPLE_TEXT = ("Act No. 12 of 2019 on preventing and combating trafficking in persons, articles 3 to 9; "
               "implemented by the national anti-trafficking committee.")
