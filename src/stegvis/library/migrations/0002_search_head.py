import django.contrib.postgres.search
from django.db import migrations

import stegvis.library.operations


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
    ]

    operations = [
        # the title, tags and description's vector, what the matches are ranked by on PostgreSQL
        # (library/search.py); null on SQLite
        migrations.AddField(
            model_name="example",
            name="search_head",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        stegvis.library.operations.SearchHead(),
    ]
