package configs

// The notices that the licences and terms of the feeds' data ask for, by
// format; the registry attaches them to its entries.
const (
	// firmsAttribution is the acknowledgement NASA asks of FIRMS users.
	firmsAttribution = "We acknowledge the use of data from NASA's Fire Information for Resource Management " +
		"System (FIRMS) (https://earthdata.nasa.gov/firms), part of NASA's Earth Science Data and Information " +
		"System (ESDIS). NASA FIRMS / LANCE data are free to use and redistribute under NASA's Earth science open data policy."
	// ucdpAttribution is the CC BY 4.0 notice and the citations UCDP asks for.
	ucdpAttribution = "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program, licensed under " +
		"CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Sundberg, Ralph and Erik Melander (2013), " +
		"\"Introducing the UCDP Georeferenced Event Dataset\", Journal of Peace Research 50(4): 523-532; " +
		"Davies, Shawn, Therése Pettersson and Magnus Öberg (2023), \"Organized violence 1989-2022, and the " +
		"return of conflict between states\", Journal of Peace Research 60(4)."
	// acledAttribution is the notice ACLED's terms of use require.
	acledAttribution = "Armed Conflict Location & Event Data Project (ACLED), https://acleddata.com, used under " +
		"ACLED's Terms of Use and Attribution Policy, which restrict redistribution of the data: its records " +
		"leave this system only as id, date, category, precisions and zone, for the verification of this trial."
)
