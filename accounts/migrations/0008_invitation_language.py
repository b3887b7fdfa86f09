from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_user_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="language",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
    ]
